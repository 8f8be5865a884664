/**
 * @module memory/change — the one way a memory changes. Each change is a transaction that
 *
 *  - reads the AI's registry entry (it must be live), the caller's key record when the caller
 *    is an AI (it must still be live: this is what stops a key revoked a moment ago that this
 *    process had cached), and the memory documents the change needs, in one batched read;
 *  - takes the AI's next event number, `eventSeq + 1`;
 *  - writes the change, its event `events/{number}`, the AI's new `eventSeq` and activity times,
 *    and the idempotency record, in one commit.
 *
 * The event number makes the log's order explicit and gapless: the transactions of one AI are
 * serialised on its registry entry, so event n is committed before event n + 1 is numbered. A
 * commit timestamp can't serve: the Firestore emulator makes documents visible out of
 * `serverTimestamp()` order by up to tens of milliseconds (measured), which made a listener
 * skip events.
 */
import {
  FieldValue,
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Transaction,
} from 'firebase-admin/firestore';
import type { Actor, Memory, MemoryEventType, MemoryType } from '@memory-weaver/protocol';
import { ApiError, aiRef, apiKeyRef, eventId, eventsRef, notFound } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';

export interface EventInput {
  type: MemoryEventType;
  memoryId: string;
  tier: MemoryType;
  fromTier?: MemoryType;
  toTier?: MemoryType;
  memory: Memory | null;
}

export interface ChangeScope {
  tx: Transaction;
  /** The snapshots of the documents asked for, in order. */
  docs: DocumentSnapshot[];
  now: Date;
  actor: Actor;
  /** Writes this change's event; call exactly once. Returns the event id. */
  event(input: EventInput): string;
}

export async function runChange<T>(
  ctx: MutationContext,
  aiUuid: string,
  reads: DocumentReference[],
  change: (scope: ChangeScope) => T,
): Promise<T> {
  const principal = ctx.principal;
  const keyRef = principal.kind === 'ai_key' ? apiKeyRef(ctx.db, principal.keyId) : undefined;
  return ctx.db.runTransaction(async (tx) => {
    const [ai, key, ...docs] = await tx.getAll(aiRef(ctx.db, aiUuid), keyRef ?? aiRef(ctx.db, aiUuid), ...reads);
    const registry = ai?.data();
    if (!registry || registry.deletedAt) throw notFound('AI instance');
    if (keyRef && !key?.exists) throw new ApiError('unauthenticated', 'this API key is no longer valid');
    const now = ctx.clock.now();
    const at = Timestamp.fromDate(now);
    const actor: Actor = principal.kind === 'admin' ? { kind: 'admin', id: principal.uid } : { kind: 'ai_key', id: principal.keyId };
    const seq = Number(registry.eventSeq ?? 0) + 1;
    let written = false;
    const result = change({
      tx,
      docs: docs as DocumentSnapshot[],
      now,
      actor,
      event(input) {
        if (written) throw new Error('a change writes exactly one event');
        written = true;
        const id = eventId(seq);
        tx.create(eventsRef(ctx.db, aiUuid).doc(id), {
          seq,
          type: input.type,
          memoryId: input.memoryId,
          tier: input.tier,
          fromTier: input.fromTier ?? null,
          toTier: input.toTier ?? null,
          at: FieldValue.serverTimestamp(),
          actor,
          via: ctx.via,
          memory: input.memory,
        });
        return id;
      },
    });
    if (!written) throw new Error('a change must write its event');
    tx.update(aiRef(ctx.db, aiUuid), {
      eventSeq: seq,
      memoryUpdatedAt: at,
      ...(keyRef ? { lastActiveAt: at } : {}),
    });
    if (keyRef) tx.update(keyRef, { lastUsedAt: at });
    return result;
  });
}
