/** @module memory/readEvents — an AI's event log in commit order, after a given event. */
import { FieldPath, type DocumentSnapshot, type Firestore, type Query } from 'firebase-admin/firestore';
import type { Actor, EventPage, Memory, MemoryEvent, MemoryEventType, MemoryType } from '@memory-weaver/protocol';
import { notFound } from './errors.js';
import { eventsRef } from './paths.js';
import { iso } from './time.js';

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

export async function listEvents(
  db: Firestore,
  aiUuid: string,
  page: { after?: string | undefined; limit: number },
): Promise<EventPage> {
  let query: Query = eventsRef(db, aiUuid).orderBy('at', 'asc').orderBy(FieldPath.documentId(), 'asc');
  if (page.after) {
    const seen = await eventsRef(db, aiUuid).doc(page.after).get();
    if (!seen.exists) throw notFound('event');
    query = query.startAfter(seen.get('at'), seen.id);
  }
  const docs = (await query.limit(page.limit + 1).get()).docs;
  const events = docs.slice(0, page.limit).map((d) => toMemoryEvent(aiUuid, d));
  return { events, next_cursor: docs.length > page.limit ? (events.at(-1)?.event_id ?? null) : null };
}
