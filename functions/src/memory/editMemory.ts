/** @module memory/editMemory — change a memory's content and/or metadata, with its event, atomically. */
import { Timestamp } from 'firebase-admin/firestore';
import type { MemoryType } from '@memory-weaver/protocol';
import type { AiTarget } from '../ai/access.js';
import { actorOf } from '@memory-weaver/core';
import { touchAi, type MutationContext } from '../context.js';
import { notFound, notFoundOnMissing } from '@memory-weaver/core';
import { memoryRef } from '@memory-weaver/core';
import type { MemoryChange } from './createMemory.js';
import { appendEvent } from './events.js';
import { toMemory } from './record.js';

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
): Promise<MemoryChange> {
  const ref = memoryRef(ctx.db, target.aiUuid, tier, memoryId);
  const change = ctx.db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const before = snap.data();
    if (!before) throw notFound('memory');
    const now = ctx.clock.now();
    const actor = actorOf(ctx.principal);
    const changes = {
      ...(patch.content !== undefined ? { content: patch.content } : {}),
      ...(patch.metadata !== undefined ? { metadata: patch.metadata } : {}),
      updatedAt: Timestamp.fromDate(now),
      updatedBy: actor,
      updatedVia: ctx.via,
    };
    const memory = toMemory(memoryId, tier, { ...before, ...changes });
    tx.update(ref, changes);
    const eventId = appendEvent(tx, ctx.db, target.aiUuid, {
      type: 'updated',
      memoryId,
      tier,
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
