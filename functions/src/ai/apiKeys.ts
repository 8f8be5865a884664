/** @module ai/apiKeys — an administrator rotates or revokes an AI's API key. */
import { Timestamp } from 'firebase-admin/firestore';
import type { ApiKeyIssued } from '@memory-weaver/protocol';
import { issueKey } from '../auth/keys.js';
import { requireAdmin } from '../auth/principal.js';
import type { MutationContext } from '../context.js';
import { aiRef, apiKeyRef } from '../store/paths.js';
import { newKeyRecord } from './createAi.js';
import { readLiveAi } from './manageAi.js';

/** Issues a new key and revokes the old one in the same commit: there is always exactly one live key. */
export async function rotateKey(ctx: MutationContext, aiUuid: string): Promise<ApiKeyIssued> {
  requireAdmin(ctx.principal);
  return ctx.db.runTransaction(async (tx) => {
    const data = await readLiveAi(tx, ctx, aiUuid);
    const at = Timestamp.fromDate(ctx.clock.now());
    const key = issueKey();
    if (typeof data.apiKeyId === 'string') tx.update(apiKeyRef(ctx.db, data.apiKeyId), { revokedAt: at });
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
      tx.update(apiKeyRef(ctx.db, keyId), { revokedAt: at });
      tx.update(aiRef(ctx.db, aiUuid), { apiKeyId: null, apiKeyPrefix: null, updatedAt: at });
    }
    const result = { ai_uuid: aiUuid, revoked_key_prefix: (data.apiKeyPrefix as string | null | undefined) ?? null };
    ctx.record(tx, result);
    return result;
  });
}
