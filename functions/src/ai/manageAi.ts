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
  destroyDataKey,
  isLive,
} from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { purgeAi } from '../forget/purgeAi.js';
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
 * Deleting is two steps: `markAiDeleted` (one transaction) marks the AI deleted and removes every
 * key it ever had, so from then on it is 404 to every caller and its keys are unknown; then
 * `purgeAi` (forget/purgeAi.ts) removes every document of it and every record naming it. A delete
 * cut short after the first step is finished by the `forgetSweep` schedule (forget/sweep.ts), or by
 * a retry: an AI marked deleted whose entry still exists is purged again by any later delete. The
 * Idempotency-Key record is written after both; it is the one trace left (the AI's id and
 * `deleted: true`, nothing it held), kept the usual 24 hours so a retry gets the first answer.
 */
export async function deleteAi(ctx: MutationContext, aiUuid: string): Promise<{ ai_uuid: string; deleted: true }> {
  requireAdmin(ctx.principal);
  // Crypto-shredding first: once the data key is gone, no copy of the AI's documents opens again.
  await destroyDataKey(ctx.db, aiUuid);
  await markAiDeleted(ctx, aiUuid);
  await purgeAi(ctx.db, aiUuid);
  const result = { ai_uuid: aiUuid, deleted: true as const };
  const record = ctx.db.batch();
  ctx.record(record, result);
  await record.commit();
  return result;
}

/** The first step of a delete: the AI is marked deleted and loses its keys, in one transaction. */
export async function markAiDeleted(ctx: MutationContext, aiUuid: string): Promise<void> {
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
}
