/** @module memory/editMemory — change a memory's content and/or metadata, with its event, atomically. */
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import type { MemoryChange, MemoryType } from '@memory-weaver/protocol';
import { memoryRef, notFound } from '@memory-weaver/core';
import type { AiTarget } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { runChange } from './change.js';
import { memoryShownTo, toMemory } from './record.js';
import { saveVersion } from './versions.js';

export interface MemoryPatch {
  content?: string | undefined;
  /** Replaces the whole metadata object when given. */
  metadata?: Record<string, unknown> | undefined;
}

export async function editMemory(
  ctx: MutationContext,
  target: AiTarget,
  tier: MemoryType,
  memoryId: string,
  patch: MemoryPatch,
  /** What the history calls this change: a restore is an edit back to an earlier version. */
  kind: 'updated' | 'restored' = 'updated',
): Promise<MemoryChange> {
  const ref = memoryRef(ctx.db, target.aiUuid, tier, memoryId);
  return runChange(ctx, target.aiUuid, [ref], ({ tx, docs, now, actor, event }) => {
    const before = docs[0]?.data();
    if (!before) throw notFound('memory');
    const changes = {
      ...(patch.content !== undefined ? { content: patch.content } : {}),
      ...(patch.metadata !== undefined ? { metadata: patch.metadata } : {}),
      updatedAt: Timestamp.fromDate(now),
      updatedBy: actor,
      updatedVia: ctx.via,
    };
    const memory = toMemory(memoryId, tier, { ...before, ...changes });
    // A vector kept in the memory document (written before search/vectors.ts) is the old content's.
    const staleVector =
      patch.content !== undefined ? { embedding: FieldValue.delete(), embeddingModel: FieldValue.delete() } : {};
    tx.update(ref, { ...changes, ...staleVector });
    const eventId = event({ type: 'updated', memoryId, tier, memory });
    saveVersion(tx, ctx.db, target.aiUuid, toMemory(memoryId, tier, before), { kind, eventId, at: now, actor });
    // The response (and its idempotent replay) shows provenance as the caller may see it; the event keeps it whole.
    const result: MemoryChange = {
      memory_id: memoryId,
      memory: memoryShownTo(ctx.principal, memory),
      event_id: eventId,
    };
    ctx.record(tx, result);
    return result;
  });
}
