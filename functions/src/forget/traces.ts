/**
 * @module forget/traces — every document outside the memory itself that holds a memory's content:
 * the events of its changes (each carries a snapshot), its versions, the Idempotency-Key records
 * whose stored answer shows it, and review items that quoted it as the memory to supersede.
 *
 * Each is found by a single-field query (events and versions by `memoryId`, records by `memoryIds`,
 * review items by `targetId`): no composite index, and no list kept on the memory document, so no
 * write path had to change. A change committed after these queries ran is caught by the delete
 * (see memory/deleteMemory.ts: the memory's update time tells it) and found again afterwards.
 */
import type { DocumentReference, Firestore } from 'firebase-admin/firestore';
import { IDEMPOTENCY, eventId, eventsRef } from '@memory-weaver/core';
import { reviewRef } from '../extraction/review.js';
import { versionsRef } from '../memory/versions.js';

export interface Traces {
  /** Events to scrub (forget/scrub.ts's EVENT_SCRUB). */
  events: DocumentReference[];
  /** Versions, to delete. */
  versions: DocumentReference[];
  /** Idempotency-Key records, to delete. */
  records: DocumentReference[];
  /** Review items, to scrub. */
  reviews: DocumentReference[];
}

export const traceCount = (t: Traces): number =>
  t.events.length + t.versions.length + t.records.length + t.reviews.length;

/**
 * The traces of `memoryId` in the AI's documents. With `beforeSeq`, only events before that one: a
 * memory imported later under the same id (brain/) starts another life, whose events stay.
 */
export async function findTraces(
  db: Firestore,
  aiUuid: string,
  memoryId: string,
  beforeSeq = Number.MAX_SAFE_INTEGER,
): Promise<Traces> {
  const before = eventId(beforeSeq);
  const [events, versions, records, reviews] = await Promise.all([
    eventsRef(db, aiUuid).where('memoryId', '==', memoryId).select('type', 'forgotten').get(),
    versionsRef(db, aiUuid).where('memoryId', '==', memoryId).select().get(),
    db.collection(IDEMPOTENCY).where('memoryIds', 'array-contains', memoryId).select('aiUuid').get(),
    reviewRef(db, aiUuid).where('targetId', '==', memoryId).select().get(),
  ]);
  return {
    // A delete's own event carries nothing; one already forgotten needs nothing more.
    events: events.docs
      .filter((d) => d.id < before && d.get('type') !== 'deleted' && d.get('forgotten') !== true)
      .map((d) => d.ref),
    // Not filtered by number: an imported version keeps the event id of the log it came from.
    versions: versions.docs.map((d) => d.ref),
    // Memory ids are random, but the AI is checked anyway: another AI's record is never touched.
    records: records.docs.filter((d) => d.get('aiUuid') === aiUuid).map((d) => d.ref),
    reviews: reviews.docs.map((d) => d.ref),
  };
}
