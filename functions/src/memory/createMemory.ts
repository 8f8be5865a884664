/** @module memory/createMemory — store a new memory in one tier, with its event, atomically. */
import { Timestamp } from 'firebase-admin/firestore';
import type { MemoryChange, MemoryType } from '@memory-weaver/protocol';
import { tierRef } from '@memory-weaver/core';
import type { AiTarget } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { runChange } from './change.js';
import { memoryShownTo, newMemoryDoc, toMemory } from './record.js';

export interface MemoryInput {
  content: string;
  metadata?: Record<string, unknown> | undefined;
}

export async function createMemory(
  ctx: MutationContext,
  target: AiTarget,
  tier: MemoryType,
  input: MemoryInput,
): Promise<MemoryChange> {
  const ref = tierRef(ctx.db, target.aiUuid, tier).doc();
  return runChange(ctx, target.aiUuid, [], ({ tx, now, actor, event }) => {
    const doc = newMemoryDoc(input.content, input.metadata ?? {}, actor, ctx.via, Timestamp.fromDate(now));
    const memory = toMemory(ref.id, tier, doc);
    // No vector here: the first search that meets the memory makes it (search/vectors.ts).
    tx.create(ref, doc);
    const eventId = event({ type: 'created', memoryId: ref.id, tier, memory });
    // The response (and its idempotent replay) shows provenance as the caller may see it; the event keeps it whole.
    const result: MemoryChange = {
      memory_id: ref.id,
      memory: memoryShownTo(ctx.principal, memory),
      event_id: eventId,
    };
    ctx.record(tx, result);
    return result;
  });
}
