/** @module memory/deleteMemory — remove a memory, with its event, atomically. */
import type { MemoryDeletion, MemoryType } from '@memory-weaver/protocol';
import { memoryRef, notFound } from '@memory-weaver/core';
import type { AiTarget } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { vectorsRef } from '../search/vectors.js';
import { runChange } from './change.js';
import { versionRefs } from './versions.js';

export async function deleteMemory(
  ctx: MutationContext,
  target: AiTarget,
  tier: MemoryType,
  memoryId: string,
): Promise<MemoryDeletion> {
  const ref = memoryRef(ctx.db, target.aiUuid, tier, memoryId);
  // Its history goes with it. Listed before the commit (a change's reads are documents, not
  // queries) and read again inside it; a version written after the listing would need an edit
  // of the memory racing its delete, and outlives it (issue 13 makes forgetting exhaustive).
  const versions = await versionRefs(ctx.db, target.aiUuid, memoryId);
  return runChange(ctx, target.aiUuid, [ref, ...versions], ({ tx, docs, event }) => {
    if (!docs[0]?.exists) throw notFound('memory');
    tx.delete(ref);
    for (const v of docs.slice(1)) if (v.exists) tx.delete(v.ref);
    // Its stored vector (search/vectors.ts) goes with it.
    tx.delete(vectorsRef(ctx.db, target.aiUuid).doc(memoryId));
    const eventId = event({ type: 'deleted', memoryId, tier, memory: null });
    const result: MemoryDeletion = { memory_id: memoryId, memory_type: tier, deleted: true, event_id: eventId };
    ctx.record(tx, result);
    return result;
  });
}
