/** @module ai/apiKeys — an administrator rotates or revokes an AI's API key. */
import { Timestamp, type Transaction } from 'firebase-admin/firestore';
import type { ApiKeyIssued } from '@memory-weaver/protocol';
import { aiRef, apiKeyRef, issueKey, requireAdmin, revokedKeyRef } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { newKeyRecord } from './createAi.js';
import { readLiveAi } from './manageAi.js';

/**
 * Moves a key's record to the tombstones. Deleting the live record is what stops the key: every
 * write made with a key updates that record in the same commit (see keyCache.ts in @memory-weaver/core). Reads
 * must all come before writes in a transaction, so this returns the write to run later.
 */
async function retireKey(tx: Transaction, ctx: MutationContext, keyId: string, at: Timestamp): Promise<() => void> {
  const live = (await tx.get(apiKeyRef(ctx.db, keyId))).data();
  return () => {
    tx.delete(apiKeyRef(ctx.db, keyId));
    if (live) tx.set(revokedKeyRef(ctx.db, keyId), { ...live, revokedAt: at });
  };
}

/** Issues a new key and revokes the old one in the same commit: there is always exactly one live key. */
export async function rotateKey(ctx: MutationContext, aiUuid: string): Promise<ApiKeyIssued> {
  requireAdmin(ctx.principal);
  return ctx.db.runTransaction(async (tx) => {
    const data = await readLiveAi(tx, ctx, aiUuid);
    const at = Timestamp.fromDate(ctx.clock.now());
    const key = issueKey();
    const retire = typeof data.apiKeyId === 'string' ? await retireKey(tx, ctx, data.apiKeyId, at) : () => undefined;
    retire();
    tx.create(apiKeyRef(ctx.db, key.keyId), newKeyRecord(aiUuid, String(data.name), key.secretHash, at, ctx));
    tx.update(aiRef(ctx.db, aiUuid), { apiKeyId: key.keyId, apiKeyPrefix: key.prefix, updatedAt: at });
    const result: ApiKeyIssued = { ai_uuid: aiUuid, api_key: key.apiKey, api_key_prefix: key.prefix };
    ctx.record(tx, result);
    return result;
  });
}

/** Leaves the AI with no live key until the next rotation. Revoking twice is not an error. */
export async function revokeKey(
  ctx: MutationContext,
  aiUuid: string,
): Promise<{ ai_uuid: string; revoked_key_prefix: string | null }> {
  requireAdmin(ctx.principal);
  return ctx.db.runTransaction(async (tx) => {
    const data = await readLiveAi(tx, ctx, aiUuid);
    const at = Timestamp.fromDate(ctx.clock.now());
    const keyId = typeof data.apiKeyId === 'string' ? data.apiKeyId : null;
    if (keyId) {
      (await retireKey(tx, ctx, keyId, at))();
      tx.update(aiRef(ctx.db, aiUuid), { apiKeyId: null, apiKeyPrefix: null, updatedAt: at });
    }
    const result = { ai_uuid: aiUuid, revoked_key_prefix: (data.apiKeyPrefix as string | null | undefined) ?? null };
    ctx.record(tx, result);
    return result;
  });
}
