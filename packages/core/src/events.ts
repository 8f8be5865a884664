/**
 * @module events — an AI's event log. Event n of an AI is the document `events/{n}` with n
 * zero-padded to 12 digits, so document-id order is log order; `seq` holds n as a number. The
 * numbers are gapless (see functions/src/memory/change.ts), which lets readers tell a late event
 * from a missing one.
 */
import { FieldPath, type DocumentSnapshot, type Firestore, type Query } from 'firebase-admin/firestore';
import type {
  Actor,
  EventPage,
  ExtractionEventInfo,
  ImportEventInfo,
  Memory,
  MemoryEvent,
  MemoryEventType,
  MemoryType,
  SummaryEventInfo,
} from '@memory-weaver/protocol';
import { notFound } from './errors.js';
import { eventsRef } from './paths.js';
import { iso } from './time.js';
import { cipherForDocs, openField, type AiCipher } from './crypto/index.js';

const ID_DIGITS = 12;
export const eventId = (seq: number): string => String(seq).padStart(ID_DIGITS, '0');

/** The number of an event id, or null when the id can't be one. */
export function eventSeq(id: string): number | null {
  return /^\d{12}$/.test(id) ? Number(id) : null;
}

/**
 * An event as the API shows it. Its memory snapshot is sealed at rest (crypto/fields.ts): pass the
 * AI's cipher (`cipherForDocs`); without one a sealed snapshot throws rather than show ciphertext.
 */
export function toMemoryEvent(aiUuid: string, doc: DocumentSnapshot, cipher: AiCipher | null = null): MemoryEvent {
  const d = doc.data() ?? {};
  return {
    event_id: doc.id,
    seq: Number(d.seq),
    ai_uuid: aiUuid,
    type: d.type as MemoryEventType,
    memory_id: typeof d.memoryId === 'string' ? d.memoryId : null,
    memory_type: (d.tier as MemoryType | null | undefined) ?? null,
    from_memory_type: (d.fromTier as MemoryType | null) ?? null,
    to_memory_type: (d.toTier as MemoryType | null) ?? null,
    at: iso(d.at),
    actor: d.actor as Actor,
    via: String(d.via),
    // A forgotten event (functions/src/forget/) is scrubbed in place: memory null, marked.
    memory:
      d.forgotten === true
        ? null
        : ((openField(cipher, aiUuid, d.memory, doc.ref.path, 'memory') as Memory | null | undefined) ?? null),
    ...(d.forgotten === true ? { forgotten: true as const } : {}),
    ...(d.extraction ? { extraction: d.extraction as ExtractionEventInfo } : {}),
    ...(d.import ? { import: d.import as ImportEventInfo } : {}),
    ...(d.summary ? { summary: d.summary as SummaryEventInfo } : {}),
  };
}

/** The log in order, oldest first. */
export const orderedEvents = (db: Firestore, aiUuid: string): Query =>
  eventsRef(db, aiUuid).orderBy(FieldPath.documentId(), 'asc');

/**
 * The id of event number 0, which no log holds: "before the first event". As a position it means
 * "from the start of the log", which a client that joined an empty log needs to say to miss nothing.
 */
export const START_OF_LOG = eventId(0);

/**
 * The number of an event the log holds, or 0 for START_OF_LOG; 404 for an id the log has never had.
 */
export async function knownEventSeq(db: Firestore, aiUuid: string, id: string): Promise<number> {
  if (id === START_OF_LOG) return 0;
  const seq = eventSeq(id);
  if (seq === null || !(await eventsRef(db, aiUuid).doc(id).get()).exists) throw notFound('event');
  return seq;
}

/** Up to `limit` events after number `afterSeq` (0: from the start). */
export async function eventsAfter(
  db: Firestore,
  aiUuid: string,
  afterSeq: number,
  limit: number,
): Promise<MemoryEvent[]> {
  const docs = (await orderedEvents(db, aiUuid).startAfter(eventId(afterSeq)).limit(limit).get()).docs;
  const cipher = await cipherForDocs(db, aiUuid, docs);
  return docs.map((d) => toMemoryEvent(aiUuid, d, cipher));
}

export async function listEvents(
  db: Firestore,
  aiUuid: string,
  page: { after?: string | undefined; limit: number },
): Promise<EventPage> {
  const after = page.after ? await knownEventSeq(db, aiUuid, page.after) : 0;
  const rows = await eventsAfter(db, aiUuid, after, page.limit + 1);
  const events = rows.slice(0, page.limit);
  return { events, next_cursor: rows.length > page.limit ? (events.at(-1)?.event_id ?? null) : null };
}
