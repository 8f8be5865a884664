/** @module ai/manageAi — an administrator updates (renames, sets chat settings) or deletes an AI instance. */
import { Timestamp, type DocumentData, type Transaction } from 'firebase-admin/firestore';
import type { AiInstance, UpdateAiBody } from '@memory-weaver/protocol';
import {
  aiRef,
  API_KEYS,
  apiKeyRef,
  invalidArgument,
  notFound,
  requireAdmin,
  REVOKED_API_KEYS,
  isLive,
} from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { toAiInstance } from './record.js';

/** Reads a live AI inside a transaction, or 404. */
export async function readLiveAi(tx: Transaction, ctx: MutationContext, aiUuid: string): Promise<DocumentData> {
  const data = (await tx.get(aiRef(ctx.db, aiUuid))).data();
  if (!isLive(data)) throw notFound('AI instance');
  return data;
}

/** Renames an AI and/or changes its chat settings; a model must be on the server's allowlist. */
export async function updateAi(
  ctx: MutationContext,
  aiUuid: string,
  body: UpdateAiBody,
  allowedModels: string[],
): Promise<AiInstance> {
  requireAdmin(ctx.principal);
  if (body.model && !allowedModels.includes(body.model)) {
    throw invalidArgument(`model "${body.model}" is not allowed here`, { field: 'model', allowed: allowedModels });
  }
  return ctx.db.runTransaction(async (tx) => {
    const data = await readLiveAi(tx, ctx, aiUuid);
    const model = {
      ...((data.model ?? {}) as Record<string, unknown>),
      ...(body.instructions !== undefined ? { instructions: body.instructions } : {}),
      ...(body.model !== undefined ? { model: body.model } : {}),
      ...(body.context_tokens !== undefined ? { contextTokens: body.context_tokens } : {}),
    };
    const changes = {
      ...(body.ai_name !== undefined ? { name: body.ai_name } : {}),
      model,
      updatedAt: Timestamp.fromDate(ctx.clock.now()),
    };
    tx.update(aiRef(ctx.db, aiUuid), changes);
    // Key records carry the name so that AI-client calls need no registry read; keep them in step.
    if (body.ai_name !== undefined && typeof data.apiKeyId === 'string') {
      tx.update(apiKeyRef(ctx.db, data.apiKeyId), { aiName: body.ai_name });
    }
    const result = toAiInstance(aiUuid, { ...data, ...changes });
    ctx.record(tx, result);
    return result;
  });
}

/**
 * Deleting is two steps: one transaction marks the AI deleted and removes every key it ever had
 * (from then on it is 404 to every caller and its keys are unknown), then a recursive delete
 * removes the registry entry with all its tiers, events and sessions. The Idempotency-Key record
 * is written only after both, so a retry of a delete that was cut short runs the cleanup again:
 * an AI marked deleted whose document still exists is finished off by any later delete.
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
  });
  await ctx.db.recursiveDelete(ref);
  const result = { ai_uuid: aiUuid, deleted: true as const };
  const record = ctx.db.batch();
  ctx.record(record, result);
  await record.commit();
  return result;
}
