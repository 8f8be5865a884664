/**
 * @module memory/moveMemory — move a memory to another tier in one transaction: it keeps its id,
 * content, metadata, creation time and creator, and records the tier it came from. No reader
 * ever sees it in both tiers or in neither.
 */
import { Timestamp } from 'firebase-admin/firestore';
import type { MemoryType } from '@memory-weaver/protocol';
import type { AiTarget } from '../ai/access.js';
import { actorOf } from '@memory-weaver/core';
import { touchAi, type MutationContext } from '../context.js';
import { conflict, invalidArgument, notFound, notFoundOnMissing } from '@memory-weaver/core';
import { memoryRef } from '@memory-weaver/core';
import type { MemoryChange } from './createMemory.js';
import { appendEvent } from './events.js';
import { toMemory } from './record.js';

export async function moveMemory(
  ctx: MutationContext,
  target: AiTarget,
  from: MemoryType,
  to: MemoryType,
  memoryId: string,
): Promise<MemoryChange> {
  if (from === to) {
    throw invalidArgument('the memory is already in that tier: choose a different destination', {
      field: 'to_memory_type',
    });
  }
  const source = memoryRef(ctx.db, target.aiUuid, from, memoryId);
  const destination = memoryRef(ctx.db, target.aiUuid, to, memoryId);
  const change = ctx.db.runTransaction(async (tx) => {
    const [src, dst] = await tx.getAll(source, destination);
    const data = src?.data();
    if (!data) throw notFound('memory');
    if (dst?.exists) throw conflict(`a memory with this id already exists in ${to}`, { field: 'document_id' });
    const now = ctx.clock.now();
    const at = Timestamp.fromDate(now);
    const actor = actorOf(ctx.principal);
    const moved = { ...data, movedFrom: from, movedAt: at, updatedAt: at, updatedBy: actor, updatedVia: ctx.via };
    const memory = toMemory(memoryId, to, moved);
    tx.create(destination, moved);
    tx.delete(source);
    const eventId = appendEvent(tx, ctx.db, target.aiUuid, {
      type: 'moved',
      memoryId,
      tier: to,
      fromTier: from,
      toTier: to,
      actor,
      via: ctx.via,
      memory,
    });
    touchAi(tx, ctx, target.aiUuid, now);
    const result: MemoryChange = { memory_id: memoryId, memory, event_id: eventId };
    ctx.record(tx, result);
    return result;
  });
  // The memory was read inside the transaction, so a NOT_FOUND at commit means the AI is gone.
  return notFoundOnMissing(change, 'AI instance');
}
