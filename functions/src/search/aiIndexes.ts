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
 * Events carry memories without their vectors: a memory an event brings gets the vector stored
 * beside it (one batched read), or is embedded here when that vector is missing or stale.
 *
 * Searches of one AI that arrive while its index is catching up share the next catch-up instead
 * of each running one; an index that hasn't been searched for long is dropped when the instance
 * holds more than `maxMemories` in all.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { MEMORY_TYPES, type MemoryEvent } from '@memory-weaver/protocol';
import { aiRef, eventsAfter, memoryRef, tierRef } from '@memory-weaver/core';
import type { Embedder } from '../embeddings/base.js';
import { toMemory } from '../memory/record.js';
import { MemoryIndex } from './memoryIndex.js';

/** Events read per query while catching up. */
const EVENT_PAGE = 500;
/** Memories read per query while building. */
const BUILD_PAGE = 1_000;
/** Contents embedded per call. */
const EMBED_BATCH = 32;
/** Memory documents read per call for their stored vectors. */
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

  /** Drops an AI's index (its AI was deleted). */
  forget(aiUuid: string): void {
    this.slots.delete(aiUuid);
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
    slot.seq = Number(registry.get('eventSeq') ?? 0);
    const model = this.embedder.id;
    await Promise.all(
      MEMORY_TYPES.map(async (tier) => {
        let query = tierRef(this.db, aiUuid, tier).orderBy('__name__').limit(BUILD_PAGE);
        for (;;) {
          const docs = (await query.get()).docs;
          for (const d of docs) {
            const data = d.data();
            const stored = data.embeddingModel === model ? vectorOf(data.embedding) : null;
            slot.index.upsert(toMemory(d.id, tier, data), stored);
          }
          const last = docs.at(-1);
          if (!last || docs.length < BUILD_PAGE) break;
          query = query.startAfter(last);
        }
      }),
    );
    this.stats.builds += 1;
  }

  /**
   * Gives a vector to every memory the events brought without one: the one stored beside it when
   * that was made from the same content (writes store it, see createMemory.ts), else a fresh one
   * (the document was edited again since: a later event brings that edit).
   */
  private async embedMissing(aiUuid: string, index: MemoryIndex): Promise<void> {
    const missing = index.unembedded().map((e) => e.memory);
    const model = this.embedder.id;
    for (let i = 0; i < missing.length; i += READ_BATCH) {
      const batch = missing.slice(i, i + READ_BATCH);
      const docs = await this.db.getAll(...batch.map((m) => memoryRef(this.db, aiUuid, m.memory_type, m.memory_id)));
      docs.forEach((doc, j) => {
        const m = batch[j];
        const v = doc.get('embeddingModel') === model ? vectorOf(doc.get('embedding')) : null;
        if (m && v && doc.get('content') === m.content) index.setVector(m.memory_id, m.content, v);
      });
    }
    const still = index.unembedded().map((e) => e.memory);
    for (let i = 0; i < still.length; i += EMBED_BATCH) {
      const batch = still.slice(i, i + EMBED_BATCH);
      const vectors = await this.embedder.embed(batch.map((m) => m.content));
      batch.forEach((m, j) => {
        const v = vectors[j];
        if (v) index.setVector(m.memory_id, m.content, Float32Array.from(v));
      });
      this.stats.embedded += batch.length;
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
  if (e.type === 'deleted' || !e.memory) index.remove(e.memory_id);
  else index.upsert(e.memory, null);
}

function vectorOf(value: unknown): Float32Array | null {
  const v = value as { toArray?: () => number[] } | undefined;
  return typeof v?.toArray === 'function' ? Float32Array.from(v.toArray()) : null;
}
