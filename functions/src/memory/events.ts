/**
 * @module memory/events — the per-AI event log, written in the same commit as the change it
 * describes (a transactional outbox). `at` is the commit time, so the log's order is the order
 * in which changes became visible; readers page by (at, id).
 */
import { FieldValue, type DocumentData, type DocumentReference, type Firestore } from 'firebase-admin/firestore';
import type { Actor, Memory, MemoryEventType, MemoryType } from '@memory-weaver/protocol';
import { eventsRef } from '@memory-weaver/core';

export interface EventInput {
  type: MemoryEventType;
  memoryId: string;
  tier: MemoryType;
  fromTier?: MemoryType;
  toTier?: MemoryType;
  actor: Actor;
  via: string;
  memory: Memory | null;
}

export interface SetWriter {
  set(ref: DocumentReference, data: DocumentData): unknown;
}

/** Adds the event to the pending commit and returns its id. */
export function appendEvent(writer: SetWriter, db: Firestore, aiUuid: string, e: EventInput): string {
  const ref = eventsRef(db, aiUuid).doc();
  writer.set(ref, {
    type: e.type,
    memoryId: e.memoryId,
    tier: e.tier,
    fromTier: e.fromTier ?? null,
    toTier: e.toTier ?? null,
    at: FieldValue.serverTimestamp(),
    actor: e.actor,
    via: e.via,
    memory: e.memory,
  });
  return ref.id;
}
