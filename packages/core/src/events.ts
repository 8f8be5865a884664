/**
 * @module events — reading an AI's event log in commit order. Events are ordered by `at` (the
 * commit time, with microseconds) then id; positions keep the exact Timestamp, because ISO
 * strings round to milliseconds and two commits can share one.
 */
import { FieldPath, Timestamp, type DocumentSnapshot, type Firestore, type Query } from 'firebase-admin/firestore';
import type { Actor, EventPage, Memory, MemoryEvent, MemoryEventType, MemoryType } from '@memory-weaver/protocol';
import { notFound } from './errors.js';
import { eventsRef } from './paths.js';
import { iso } from './time.js';

export interface Position {
  at: Timestamp;
  id: string;
}

/** Negative when a comes before b in the log. */
export function comparePositions(a: Position, b: Position): number {
  return a.at.seconds - b.at.seconds || a.at.nanoseconds - b.at.nanoseconds || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export const positionOf = (doc: DocumentSnapshot): Position => ({ at: doc.get('at') as Timestamp, id: doc.id });

export function toMemoryEvent(aiUuid: string, doc: DocumentSnapshot): MemoryEvent {
  const d = doc.data() ?? {};
  return {
    event_id: doc.id,
    ai_uuid: aiUuid,
    type: d.type as MemoryEventType,
    memory_id: String(d.memoryId),
    memory_type: d.tier as MemoryType,
    from_memory_type: (d.fromTier as MemoryType | null) ?? null,
    to_memory_type: (d.toTier as MemoryType | null) ?? null,
    at: iso(d.at),
    actor: d.actor as Actor,
    via: String(d.via),
    memory: (d.memory as Memory | null) ?? null,
  };
}

/** The log in order, oldest first. */
export const orderedEvents = (db: Firestore, aiUuid: string): Query =>
  eventsRef(db, aiUuid).orderBy('at', 'asc').orderBy(FieldPath.documentId(), 'asc');

/** The position of an event id, or 404 when the log has no such event. */
export async function eventPosition(db: Firestore, aiUuid: string, eventId: string): Promise<Position> {
  const seen = await eventsRef(db, aiUuid).doc(eventId).get();
  if (!seen.exists) throw notFound('event');
  return positionOf(seen);
}

/** Up to `limit` events after `after` (from the start when null), with their positions. */
export async function eventsAfter(
  db: Firestore,
  aiUuid: string,
  after: Position | null,
  limit: number,
): Promise<{ event: MemoryEvent; position: Position }[]> {
  const q = orderedEvents(db, aiUuid);
  const docs = (await (after ? q.startAfter(after.at, after.id) : q).limit(limit).get()).docs;
  return docs.map((d) => ({ event: toMemoryEvent(aiUuid, d), position: positionOf(d) }));
}

export async function listEvents(
  db: Firestore,
  aiUuid: string,
  page: { after?: string | undefined; limit: number },
): Promise<EventPage> {
  const after = page.after ? await eventPosition(db, aiUuid, page.after) : null;
  const rows = await eventsAfter(db, aiUuid, after, page.limit + 1);
  const events = rows.slice(0, page.limit).map((r) => r.event);
  return { events, next_cursor: rows.length > page.limit ? (events.at(-1)?.event_id ?? null) : null };
}
