/** @module ai/manageAi — an administrator renames or deletes an AI instance. */
import { Timestamp, type DocumentData, type Transaction } from 'firebase-admin/firestore';
import type { AiInstance } from '@memory-weaver/protocol';
import { requireAdmin } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { notFound } from '@memory-weaver/core';
import { aiRef, apiKeyRef, API_KEYS, REVOKED_API_KEYS } from '@memory-weaver/core';
import { isLive, toAiInstance } from './record.js';

/** Reads a live AI inside a transaction, or 404. */
export async function readLiveAi(tx: Transaction, ctx: MutationContext, aiUuid: string): Promise<DocumentData> {
  const data = (await tx.get(aiRef(ctx.db, aiUuid))).data();
  if (!isLive(data)) throw notFound('AI instance');
  return data;
}

export async function renameAi(ctx: MutationContext, aiUuid: string, aiName: string): Promise<AiInstance> {
  requireAdmin(ctx.principal);
  return ctx.db.runTransaction(async (tx) => {
    const data = await readLiveAi(tx, ctx, aiUuid);
    const changes = { name: aiName, updatedAt: Timestamp.fromDate(ctx.clock.now()) };
    tx.update(aiRef(ctx.db, aiUuid), changes);
    // Key records carry the name so that AI-client calls need no registry read; keep them in step.
    if (typeof data.apiKeyId === 'string') tx.update(apiKeyRef(ctx.db, data.apiKeyId), { aiName });
    const result = toAiInstance(aiUuid, { ...data, ...changes });
    ctx.record(tx, result);
    return result;
  });
}

/**
 * Deleting is two steps: one transaction marks the AI deleted and removes every key it ever had
 * (from then on it is 404 to admins and its keys are unknown), then a recursive delete removes
 * the registry entry with all its tiers, events and sessions. If the second step is cut short,
 * what remains is unreachable, and deleting again finishes it.
 */
export async function deleteAi(ctx: MutationContext, aiUuid: string): Promise<{ ai_uuid: string; deleted: true }> {
  requireAdmin(ctx.principal);
  const ref = aiRef(ctx.db, aiUuid);
  await ctx.db.runTransaction(async (tx) => {
    const data = (await tx.get(ref)).data();
    if (!data) throw notFound('AI instance');
    const keys = await Promise.all(
      [API_KEYS, REVOKED_API_KEYS].map((c) => tx.get(ctx.db.collection(c).where('aiUuid', '==', aiUuid))),
    );
    if (!data.deletedAt) tx.update(ref, { deletedAt: Timestamp.fromDate(ctx.clock.now()) });
    for (const key of keys.flatMap((k) => k.docs)) tx.delete(key.ref);
    ctx.record(tx, { ai_uuid: aiUuid, deleted: true });
  });
  await ctx.db.recursiveDelete(ref);
  return { ai_uuid: aiUuid, deleted: true };
}
