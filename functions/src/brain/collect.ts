/**
 * @module brain/collect — an AI read page by page into bundle records, in a fixed order (memories by
 * tier then id, sessions by id, turns by time then id, events in log order, vectors by memory id),
 * so that the same AI always gives the same records, and no more than a page is held at a time.
 * What a caller may see is what the API shows it (an AI's key sees no administrator's uid and no
 * administrator's session).
 *
 * Every page of an encrypted AI's documents is opened as it is read (crypto/fields.ts in core): a
 * bundle holds plaintext (or the passphrase's encryption), never the AI's own ciphertext, which no
 * other AI could open.
 */
import {
  FieldPath,
  type DocumentData,
  type Firestore,
  type Query,
  type QueryDocumentSnapshot,
} from 'firebase-admin/firestore';
import {
  MEMORY_TYPES,
  type BrainRecord,
  type BrainSessionRecord,
  type BrainTurn,
  type Memory,
  type MemoryVersion,
} from '@memory-weaver/protocol';
import {
  actorShownTo,
  cipherFor,
  cipherForDocs,
  iso,
  openSnapshots,
  orderedEvents,
  tierRef,
  toMemoryEvent,
  type AiCipher,
  type Principal,
} from '@memory-weaver/core';
import { mayUseSession, sessionsRef, turnsRef } from '../chat/sessions.js';
import { memoryShownTo, toMemory } from '../memory/record.js';
import { versionsRef } from '../memory/versions.js';
import { contentKey, vectorsRef } from '../search/vectors.js';

/** Documents per read: what one page of an export holds in memory at most. */
export const PAGE = 500;
/** Firestore's limit on the values of an `in` filter. */
const IN_LIMIT = 30;

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Every document of `query` by document id, a page at a time. */
async function* pages(query: Query, size = PAGE): AsyncGenerator<QueryDocumentSnapshot[]> {
  const ordered = query.orderBy(FieldPath.documentId());
  let after: string | null = null;
  for (;;) {
    const docs: QueryDocumentSnapshot[] = (
      await (after === null ? ordered : ordered.startAfter(after)).limit(size).get()
    ).docs;
    if (docs.length > 0) yield docs;
    if (docs.length < size) return;
    after = (docs.at(-1) as QueryDocumentSnapshot).id;
  }
}

function versionOf(v: DocumentData): MemoryVersion {
  return {
    version_id: String(v.eventId),
    change: String(v.change),
    replaced_at: iso(v.replacedAt),
    replaced_by: v.replacedBy as MemoryVersion['replaced_by'],
    memory: v.memory as Memory,
  };
}

/** The stored versions of these memories, by memory, oldest first (version ids sort in log order). */
async function versionsOf(db: Firestore, aiUuid: string, ids: string[]): Promise<Map<string, MemoryVersion[]>> {
  const out = new Map<string, MemoryVersion[]>();
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += IN_LIMIT) chunks.push(ids.slice(i, i + IN_LIMIT));
  const found = await Promise.all(
    chunks.map(async (chunk) =>
      openSnapshots(db, aiUuid, (await versionsRef(db, aiUuid).where('memoryId', 'in', chunk).get()).docs),
    ),
  );
  for (const d of found.flat().sort(byId)) {
    const v = d.data();
    const list = out.get(String(v.memoryId)) ?? [];
    list.push(versionOf(v));
    out.set(String(v.memoryId), list);
  }
  return out;
}

const shownVersion = (viewer: Principal, v: MemoryVersion): MemoryVersion => ({
  ...v,
  replaced_by: actorShownTo(viewer, v.replaced_by),
  memory: memoryShownTo(viewer, v.memory),
});

/**
 * A stored vector's content key as a bundle carries it: the plain SHA-256 of the content it was made
 * from (`contentKey` without a cipher), which any AI can check against the memory's text. An
 * encrypted AI stores an HMAC under its own key instead (search/vectors.ts), which means nothing to
 * another AI; `keys` holds, by memory id, that HMAC of the memory's current content and the portable
 * key for it. A vector made from content the memory no longer has keeps its stored key, which then
 * matches no content anywhere (an import skips it as `stale`).
 */
export type ContentKeys = Map<string, { keyed: string; portable: string }>;

export const portableContentKey = (stored: string, id: string, keys: ContentKeys | null): string => {
  const k = keys?.get(id);
  return k?.keyed === stored ? k.portable : stored;
};

/**
 * Every memory of the AI with its versions, by tier then id. With `keys` (an encrypted AI whose
 * vectors are exported), each memory's content keys are noted there for `vectorRecords`.
 */
export async function* memoryRecords(
  db: Firestore,
  aiUuid: string,
  viewer: Principal,
  keys: { cipher: AiCipher; map: ContentKeys } | null = null,
): AsyncGenerator<BrainRecord> {
  for (const tier of MEMORY_TYPES) {
    for await (const raw of pages(tierRef(db, aiUuid, tier))) {
      const docs = await openSnapshots(db, aiUuid, raw);
      const versions = await versionsOf(
        db,
        aiUuid,
        docs.map((d) => d.id),
      );
      for (const d of docs) {
        const memory = toMemory(d.id, tier, d.data());
        if (keys) {
          keys.map.set(d.id, { keyed: contentKey(memory.content, keys.cipher), portable: contentKey(memory.content) });
        }
        yield {
          type: 'memory',
          memory: memoryShownTo(viewer, memory),
          versions: (versions.get(d.id) ?? []).map((v) => shownVersion(viewer, v)),
        };
      }
    }
  }
}

/** Every memory of the AI, by tier then id (an import plans against them). */
export async function readMemories(db: Firestore, aiUuid: string): Promise<Memory[]> {
  const out: Memory[] = [];
  for (const tier of MEMORY_TYPES) {
    for await (const raw of pages(tierRef(db, aiUuid, tier)))
      for (const d of await openSnapshots(db, aiUuid, raw)) out.push(toMemory(d.id, tier, d.data()));
  }
  return out;
}

function turnOf(d: QueryDocumentSnapshot): BrainTurn {
  const t = d.data();
  return {
    chat_id: d.id,
    message: String(t.message ?? ''),
    response: String(t.response ?? ''),
    user_kind: String(t.userKind ?? 'admin'),
    user_id: String(t.userId ?? ''),
    timestamp: iso(t.timestamp),
    model: String(t.model ?? ''),
    recall_only: t.recallOnly === true,
    memories_used: Array.isArray(t.memoriesUsed) ? (t.memoriesUsed as unknown[]).map(String) : [],
  };
}

export function sessionRecordOf(id: string, s: DocumentData, turns: QueryDocumentSnapshot[]): BrainSessionRecord {
  return {
    type: 'session',
    session_id: id,
    name: String(s.name ?? ''),
    user_kind: String(s.userKind ?? 'admin'),
    user_id: String(s.userId ?? ''),
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt),
    turns: turns.map(turnOf).sort((a, b) => (a.timestamp + a.chat_id < b.timestamp + b.chat_id ? -1 : 1)),
  };
}

const shownTurn = (viewer: Principal, t: BrainTurn): BrainTurn =>
  t.user_kind === 'ai_key' ? t : { ...t, user_id: actorShownTo(viewer, { kind: 'admin', id: t.user_id }).id };

/** Every session the viewer may use, by id, with its turns (a session is one record, so its turns are read whole). */
export async function* sessionRecords(
  db: Firestore,
  aiUuid: string,
  viewer: Principal,
): AsyncGenerator<BrainSessionRecord> {
  for await (const raw of pages(sessionsRef(db, aiUuid))) {
    for (const d of await openSnapshots(db, aiUuid, raw)) {
      if (!mayUseSession(viewer, d.data())) continue;
      const turns = await openSnapshots(db, aiUuid, (await turnsRef(db, aiUuid, d.id).get()).docs);
      const s = sessionRecordOf(d.id, d.data(), turns);
      yield { ...s, turns: s.turns.map((t) => shownTurn(viewer, t)) };
    }
  }
}

/** Every session the viewer may use, by id (an import plans against them). */
export async function readSessions(db: Firestore, aiUuid: string, viewer: Principal): Promise<BrainSessionRecord[]> {
  const out: BrainSessionRecord[] = [];
  for await (const s of sessionRecords(db, aiUuid, viewer)) out.push(s);
  return out;
}

/** The event log in order, as the viewer sees it. */
async function* eventRecords(db: Firestore, aiUuid: string, viewer: Principal): AsyncGenerator<BrainRecord> {
  let after: string | null = null;
  for (;;) {
    const query = orderedEvents(db, aiUuid);
    const docs: QueryDocumentSnapshot[] = (await (after === null ? query : query.startAfter(after)).limit(PAGE).get())
      .docs;
    const cipher = await cipherForDocs(db, aiUuid, docs);
    for (const d of docs) {
      const e = toMemoryEvent(aiUuid, d, cipher);
      yield {
        type: 'event',
        event: {
          ...e,
          actor: actorShownTo(viewer, e.actor),
          memory: e.memory ? memoryShownTo(viewer, e.memory) : null,
        },
      };
    }
    if (docs.length < PAGE) return;
    after = (docs.at(-1) as QueryDocumentSnapshot).id;
  }
}

/** The stored vectors by memory id (unpacked from their little-endian float32 bytes), with portable content keys. */
async function* vectorRecords(db: Firestore, aiUuid: string, keys: ContentKeys | null): AsyncGenerator<BrainRecord> {
  for await (const docs of pages(vectorsRef(db, aiUuid).select('packed', 'embeddingModel', 'contentKey'))) {
    for (const d of docs) {
      const packed = d.get('packed') as Uint8Array | undefined;
      if (!packed) continue;
      const bytes = Buffer.from(packed);
      const vector: number[] = [];
      for (let i = 0; i + 4 <= bytes.length; i += 4) vector.push(bytes.readFloatLE(i));
      yield {
        type: 'vector',
        memory_id: d.id,
        model: String(d.get('embeddingModel') ?? ''),
        content_key: portableContentKey(String(d.get('contentKey') ?? ''), d.id, keys),
        vector,
      };
    }
  }
}

export interface CollectOptions {
  events: boolean;
  vectors: boolean;
}

/** The AI's records in bundle order, read as they are asked for. */
export async function* collectRecords(
  db: Firestore,
  aiUuid: string,
  viewer: Principal,
  opts: CollectOptions,
): AsyncGenerator<BrainRecord> {
  const cipher = opts.vectors ? await cipherFor(db, aiUuid) : null;
  // Only an encrypted AI's vectors need their keys translated; the map costs two short strings per memory.
  const keys = cipher ? { cipher, map: new Map() as ContentKeys } : null;
  yield* memoryRecords(db, aiUuid, viewer, keys);
  yield* sessionRecords(db, aiUuid, viewer);
  if (opts.events) yield* eventRecords(db, aiUuid, viewer);
  if (opts.vectors) yield* vectorRecords(db, aiUuid, keys?.map ?? null);
}
