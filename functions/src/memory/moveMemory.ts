/**
 * @module memory/moveMemory — move a memory to another tier in one transaction: it keeps its id,
 * content, metadata, creation time and creator, and records the tier it came from. No reader
 * ever sees it in both tiers or in neither.
 */
import { Timestamp } from 'firebase-admin/firestore';
import type { MemoryChange, MemoryType } from '@memory-weaver/protocol';
import { conflict, invalidArgument, memoryRef, notFound } from '@memory-weaver/core';
import type { AiTarget } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { runChange } from './change.js';
import { memoryShownTo, toMemory } from './record.js';
import { saveVersion } from './versions.js';

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
  return runChange(ctx, target.aiUuid, [source, destination], ({ tx, docs, now, actor, event }) => {
    const data = docs[0]?.data();
    if (!data) throw notFound('memory');
    if (docs[1]?.exists) throw conflict(`a memory with this id already exists in ${to}`, { field: 'document_id' });
    const at = Timestamp.fromDate(now);
    const moved = { ...data, movedFrom: from, movedAt: at, updatedAt: at, updatedBy: actor, updatedVia: ctx.via };
    const memory = toMemory(memoryId, to, moved);
    tx.create(destination, moved);
    tx.delete(source);
    const eventId = event({ type: 'moved', memoryId, tier: to, fromTier: from, toTier: to, memory });
    saveVersion(tx, ctx.db, target.aiUuid, toMemory(memoryId, from, data), { kind: 'moved', eventId, at: now, actor });
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
