/** @module memory/deleteMemory — remove a memory, with its event, in one commit. */
import type { MemoryType } from '@memory-weaver/protocol';
import type { AiTarget } from '../ai/access.js';
import { actorOf } from '@memory-weaver/core';
import { touchAi, type MutationContext } from '../context.js';
import { notFoundOnMissing } from '@memory-weaver/core';
import { memoryRef } from '@memory-weaver/core';
import { appendEvent } from './events.js';

export interface MemoryDeletion {
  memory_id: string;
  memory_type: MemoryType;
  deleted: true;
  event_id: string;
}

export async function deleteMemory(
  ctx: MutationContext,
  target: AiTarget,
  tier: MemoryType,
  memoryId: string,
): Promise<MemoryDeletion> {
  const batch = ctx.db.batch();
  // The precondition makes a missing memory fail the whole commit, event included.
  batch.delete(memoryRef(ctx.db, target.aiUuid, tier, memoryId), { exists: true });
  const eventId = appendEvent(batch, ctx.db, target.aiUuid, {
    type: 'deleted',
    memoryId,
    tier,
    actor: actorOf(ctx.principal),
    via: ctx.via,
    memory: null,
  });
  touchAi(batch, ctx, target.aiUuid, ctx.clock.now());
  const result: MemoryDeletion = { memory_id: memoryId, memory_type: tier, deleted: true, event_id: eventId };
  ctx.record(batch, result);
  await notFoundOnMissing(batch.commit(), 'memory');
  return result;
}
