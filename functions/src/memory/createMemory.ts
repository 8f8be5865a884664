/** @module memory/createMemory — store a new memory in one tier, with its event, in one commit. */
import { Timestamp } from 'firebase-admin/firestore';
import type { Memory, MemoryType } from '@memory-weaver/protocol';
import type { AiTarget } from '../ai/access.js';
import { actorOf } from '@memory-weaver/core';
import { touchAi, type MutationContext } from '../context.js';
import { notFoundOnMissing } from '@memory-weaver/core';
import { tierRef } from '@memory-weaver/core';
import { appendEvent } from './events.js';
import { toMemory, type MemoryDoc } from './record.js';

export interface MemoryInput {
  content: string;
  metadata?: Record<string, unknown> | undefined;
}

export interface MemoryChange {
  memory_id: string;
  memory: Memory;
  event_id: string;
}

export async function createMemory(
  ctx: MutationContext,
  target: AiTarget,
  tier: MemoryType,
  input: MemoryInput,
): Promise<MemoryChange> {
  const now = ctx.clock.now();
  const at = Timestamp.fromDate(now);
  const actor = actorOf(ctx.principal);
  const ref = tierRef(ctx.db, target.aiUuid, tier).doc();
  const doc: MemoryDoc = {
    content: input.content,
    metadata: input.metadata ?? {},
    createdAt: at,
    updatedAt: at,
    createdBy: actor,
    updatedBy: actor,
    source: ctx.via,
    updatedVia: ctx.via,
    movedFrom: null,
    movedAt: null,
  };
  const memory = toMemory(ref.id, tier, doc);
  const batch = ctx.db.batch();
  batch.create(ref, doc);
  const eventId = appendEvent(batch, ctx.db, target.aiUuid, {
    type: 'created',
    memoryId: ref.id,
    tier,
    actor,
    via: ctx.via,
    memory,
  });
  touchAi(batch, ctx, target.aiUuid, now);
  const result: MemoryChange = { memory_id: ref.id, memory, event_id: eventId };
  ctx.record(batch, result);
  await notFoundOnMissing(batch.commit(), 'AI instance');
  return result;
}
