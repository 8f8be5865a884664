/** @module memory/deleteMemory — remove a memory, with its event, atomically. */
import type { MemoryDeletion, MemoryType } from '@memory-weaver/protocol';
import { memoryRef, notFound } from '@memory-weaver/core';
import type { AiTarget } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { vectorsRef } from '../search/vectors.js';
import { runChange } from './change.js';

export async function deleteMemory(
  ctx: MutationContext,
  target: AiTarget,
  tier: MemoryType,
  memoryId: string,
): Promise<MemoryDeletion> {
  const ref = memoryRef(ctx.db, target.aiUuid, tier, memoryId);
  return runChange(ctx, target.aiUuid, [ref], ({ tx, docs, event }) => {
    if (!docs[0]?.exists) throw notFound('memory');
    tx.delete(ref);
    // Its stored vector (search/vectors.ts) goes with it.
    tx.delete(vectorsRef(ctx.db, target.aiUuid).doc(memoryId));
    const eventId = event({ type: 'deleted', memoryId, tier, memory: null });
    const result: MemoryDeletion = { memory_id: memoryId, memory_type: tier, deleted: true, event_id: eventId };
    ctx.record(tx, result);
    return result;
  });
}
