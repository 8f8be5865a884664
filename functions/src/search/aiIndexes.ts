/**
 * @module search/aiIndexes — this instance's search indexes, one per AI, each exact as of the
 * AI's latest committed event.
 *
 * Firestore stays the truth; an index is a cache of it (DESIGN.md, "the event log as the spine").
 * The first search of an AI builds its index: the registry's `eventSeq` is read first, then every
 * memory of the four tiers with its stored vector, then the events after that number are applied
 * (a memory read already newer than an event it is then given converges: events are applied in
 * order up to the newest, which states each memory's last change). Every later search first asks
 * for the events after the index's number (one small query, usually empty) and applies them, so a
 * change whose response has returned is in the very next search, on any instance.
 *
 * Writes don't embed: a memory an event brings gets the vector stored for its content
 * (search/vectors.ts, one batched read), or is embedded here and its vector stored, so the next
 * cold build reads it. The search that first meets a new memory pays for its embedding.
 *
 * Searches of one AI that arrive while its index is catching up share the next catch-up instead
 * of each running one; an index that hasn't been searched for long is dropped when the instance
 * holds more than `maxMemories` in all.
 */
import {
  FieldPath,
  type CollectionReference,
  type Firestore,
  type QueryDocumentSnapshot,
} from 'firebase-admin/firestore';
import { MEMORY_TYPES, type MemoryEvent } from '@memory-weaver/protocol';
import { aiRef, cipherFor, cipherForDocs, eventsAfter, openDoc, tierRef } from '@memory-weaver/core';
import type { Embedder } from '../embeddings/base.js';
import { toMemory } from '../memory/record.js';
import { MemoryIndex } from './memoryIndex.js';
import { PACKED_FIELDS, storeVectors, vectorFor, vectorsRef, type StoredVector } from './vectors.js';

/** Events read per query while catching up. */
const EVENT_PAGE = 500;
/** Documents read per query while building: the emulator answers each page of a large collection in time that grows with its offset, so few large pages (10,000 vectors: 1 s in pages of 5,000, 2.3 s in pages of 1,000). */
const BUILD_PAGE = 5_000;
/** Contents embedded per call. */
const EMBED_BATCH = 32;
/** Vector documents read per call. */
const READ_BATCH = 300;

export interface AiIndexesOptions {
  /** Memories this instance keeps indexed across all AIs before dropping the least recently searched. */
  maxMemories: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

interface Slot {
  index: MemoryIndex;
  /** The number of the last event applied. */
  seq: number;
  built: boolean;
  running: Promise<void> | null;
  /** A catch-up that starts after the running one: searches that arrive meanwhile share it. */
  queued: Promise<void> | null;
  lastUsed: number;
}

export interface IndexStats {
  ais: number;
  memories: number;
  builds: number;
  embedded: number;
}

export class AiIndexes {
  private readonly slots = new Map<string, Slot>();
  private readonly stats = { builds: 0, embedded: 0 };

  constructor(
    private readonly db: Firestore,
    private readonly embedder: Embedder,
    private readonly options: AiIndexesOptions,
  ) {}

  /** The AI's index, with every event committed before this call applied. */
  async current(aiUuid: string): Promise<MemoryIndex> {
    let slot = this.slots.get(aiUuid);
    if (!slot) {
      slot = { index: new MemoryIndex(), seq: 0, built: false, running: null, queued: null, lastUsed: 0 };
      this.slots.set(aiUuid, slot);
    }
    slot.lastUsed = Date.now();
    await this.sync(aiUuid, slot);
    this.evict(aiUuid);
    return slot.index;
  }

  info(): IndexStats {
    let memories = 0;
    for (const s of this.slots.values()) memories += s.index.size;
    return { ais: this.slots.size, memories, ...this.stats };
  }

  private sync(aiUuid: string, slot: Slot): Promise<void> {
    if (slot.queued) return slot.queued;
    const start = (): Promise<void> =>
      (slot.running = this.pull(aiUuid, slot).finally(() => {
        slot.running = null;
      }));
    if (!slot.running) return start();
    const queued = slot.running
      .catch(() => undefined)
      .then(() => {
        slot.queued = null;
        return start();
      });
    slot.queued = queued;
    return queued;
  }

  private async pull(aiUuid: string, slot: Slot): Promise<void> {
    if (!slot.built) {
      await this.build(aiUuid, slot);
      slot.built = true;
    }
    for (;;) {
      const events = await eventsAfter(this.db, aiUuid, slot.seq, EVENT_PAGE);
      for (const e of events) apply(slot.index, e);
      const last = events.at(-1);
      if (last) slot.seq = last.seq;
      if (events.length < EVENT_PAGE) break;
    }
    await this.embedMissing(aiUuid, slot.index);
  }

  private async build(aiUuid: string, slot: Slot): Promise<void> {
    const registry = await aiRef(this.db, aiUuid).get();
    const seq = Number(registry.get('eventSeq') ?? 0);
    const model = this.embedder.id;
    // Built apart and swapped in whole: a build that fails half-way leaves nothing half-read behind.
    const index = new MemoryIndex();
    const [stored, ...tiers] = await Promise.all([
      readAll(vectorsRef(this.db, aiUuid), PACKED_FIELDS),
      ...MEMORY_TYPES.map((tier) => readAll(tierRef(this.db, aiUuid, tier))),
    ]);
    const vectors = new Map(stored.map((d) => [d.id, d.data()]));
    // Memories are sealed at rest (core's crypto/): opened here, so the index holds plaintext in memory only.
    const cipher = await cipherForDocs(this.db, aiUuid, tiers.flat());
    MEMORY_TYPES.forEach((tier, i) => {
      for (const d of tiers[i] ?? []) {
        const data = openDoc(cipher, d.ref.path, d.data());
        const content = String(data.content ?? '');
        const vector = vectorFor(data, model, content, cipher) ?? vectorFor(vectors.get(d.id), model, content, cipher);
        index.upsert(toMemory(d.id, tier, data), vector);
      }
    });
    slot.index = index;
    slot.seq = seq;
    this.stats.builds += 1;
  }

  /**
   * Gives a vector to every memory without one: the stored one when it was made from the same
   * content (one batched read), else a fresh one, which is then stored (search/vectors.ts).
   */
  private async embedMissing(aiUuid: string, index: MemoryIndex): Promise<void> {
    const model = this.embedder.id;
    const cipher = await cipherFor(this.db, aiUuid);
    // An AI that keeps no stored vectors (see crypto/README.md) embeds in this instance's memory only.
    const keepVectors = cipher?.storeVectors ?? true;
    const missing = keepVectors ? index.unembedded().map((e) => e.memory) : [];
    for (let i = 0; i < missing.length; i += READ_BATCH) {
      const batch = missing.slice(i, i + READ_BATCH);
      const col = vectorsRef(this.db, aiUuid);
      const docs = await this.db.getAll(...batch.map((m) => col.doc(m.memory_id)));
      docs.forEach((doc, j) => {
        const m = batch[j];
        const v = m ? vectorFor(doc.data(), model, m.content, cipher) : null;
        if (m && v) index.setVector(m.memory_id, m.content, v);
      });
    }
    const still = index.unembedded().map((e) => e.memory);
    for (let i = 0; i < still.length; i += EMBED_BATCH) {
      const batch = still.slice(i, i + EMBED_BATCH);
      const vectors = await this.embedder.embed(batch.map((m) => m.content));
      const made: StoredVector[] = [];
      batch.forEach((m, j) => {
        const v = vectors[j];
        if (!v) return;
        index.setVector(m.memory_id, m.content, Float32Array.from(v));
        made.push({ memoryId: m.memory_id, content: m.content, vector: v });
      });
      this.stats.embedded += made.length;
      if (keepVectors) await storeVectors(this.db, aiUuid, model, made, cipher);
    }
  }

  private evict(keep: string): void {
    let total = 0;
    for (const s of this.slots.values()) total += s.index.size;
    if (total <= this.options.maxMemories) return;
    const byAge = [...this.slots].filter(([id]) => id !== keep).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [id, slot] of byAge) {
      if (total <= this.options.maxMemories) break;
      if (slot.running) continue;
      this.slots.delete(id);
      total -= slot.index.size;
    }
  }
}

function apply(index: MemoryIndex, e: MemoryEvent): void {
  // Extraction's progress events change no memory.
  if (e.memory_id === null) return;
  if (e.type === 'deleted' || !e.memory) index.remove(e.memory_id);
  else index.upsert(e.memory, null);
}

/**
 * Where a collection's documents are split to be read side by side: Firestore's auto-ids are 20
 * characters drawn evenly from [0-9A-Za-z] (in that byte order), so these first characters cut the
 * id space into quarters. Ids chosen otherwise are read all the same, only less evenly split.
 */
const ID_SPLITS = ['F', 'V', 'k'];

/**
 * Every document of a collection: four id ranges read side by side, each in pages (the emulator
 * answers one query at a time per connection slowly but runs several at once; a 10,000-memory AI
 * is read in eight queries, two after another in each range).
 */
async function readAll(col: CollectionReference, fields?: readonly string[]): Promise<QueryDocumentSnapshot[]> {
  const bounds = [undefined, ...ID_SPLITS, undefined];
  const ranges = bounds.slice(0, -1).map((from, i) => readRange(col, fields, from, bounds[i + 1]));
  return (await Promise.all(ranges)).flat();
}

async function readRange(
  col: CollectionReference,
  fields: readonly string[] | undefined,
  from: string | undefined,
  to: string | undefined,
): Promise<QueryDocumentSnapshot[]> {
  const out: QueryDocumentSnapshot[] = [];
  let query = (fields ? col.select(...fields) : col).orderBy(FieldPath.documentId());
  if (from !== undefined) query = query.startAt(from);
  if (to !== undefined) query = query.endBefore(to);
  query = query.limit(BUILD_PAGE);
  for (;;) {
    const docs = (await query.get()).docs;
    out.push(...docs);
    const last = docs.at(-1);
    if (!last || docs.length < BUILD_PAGE) return out;
    query = query.startAfter(last.id);
  }
}
