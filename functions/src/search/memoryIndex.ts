/**
 * @module search/memoryIndex — one AI's memories, ranked in memory: BM25 with statistics of every
 * searched memory (not a sample), exact cosine similarity over every stored vector, and their
 * fusion. Pure: it knows nothing of Firestore; aiIndexes.ts fills it and keeps it current.
 *
 * Memory per entry: the memory itself (content and metadata), its term frequencies, and a
 * Float32Array of the vector (512 × 4 bytes): about 4 KB for a short memory, ~40 MB per 10,000 (measured by the bench).
 */
import type { Memory, MemoryType, SearchMode } from '@memory-weaver/protocol';
import { tokenize } from './keywords.js';
import { fuse, type Ranked } from './fusion.js';

export interface IndexedMemory {
  memory: Memory;
  /** Term frequencies of the content's tokens. */
  terms: Map<string, number>;
  length: number;
  /** Unit length; null until it is embedded. */
  vector: Float32Array | null;
}

export interface IndexHit {
  memory: Memory;
  /** The fused score (hybrid), or the one signal's score: only comparable within one search. */
  score: number;
  /** Cosine similarity of the memory and the query, when the memory has a vector. */
  vectorSimilarity: number | null;
  /** BM25 over the searched tiers; null when no query term occurs in the memory. */
  keywordScore: number | null;
}

export interface IndexQuery {
  text: string;
  /** Unit length, same dimensions as the stored vectors. */
  vector: ArrayLike<number>;
  tiers: readonly MemoryType[];
  mode: SearchMode;
  limit: number;
}

const BM25_K1 = 1.2;
const BM25_B = 0.75;
/** How many of each signal's best take part in fusion: deeper ranks add nothing a top-20 list can use. */
const FUSION_DEPTH = 200;

export class MemoryIndex {
  private readonly entries = new Map<string, IndexedMemory>();
  /** term → memory id → term frequency. */
  private readonly postings = new Map<string, Map<string, number>>();
  private readonly tierCount = new Map<MemoryType, number>();
  private readonly tierLength = new Map<MemoryType, number>();
  /** Ids of memories without a vector. */
  private readonly vectorless = new Set<string>();

  get size(): number {
    return this.entries.size;
  }

  get(memoryId: string): IndexedMemory | undefined {
    return this.entries.get(memoryId);
  }

  /** Adds or replaces a memory. The vector is kept when the content didn't change and none is given. */
  upsert(memory: Memory, vector: Float32Array | null): void {
    const before = this.entries.get(memory.memory_id);
    const keep = vector ?? (before?.memory.content === memory.content ? before.vector : null);
    if (before) this.remove(memory.memory_id);
    const terms = new Map<string, number>();
    const tokens = tokenize(memory.content);
    for (const t of tokens) terms.set(t, (terms.get(t) ?? 0) + 1);
    const entry: IndexedMemory = { memory, terms, length: tokens.length, vector: keep };
    this.entries.set(memory.memory_id, entry);
    if (!keep) this.vectorless.add(memory.memory_id);
    for (const [t, f] of terms) {
      let list = this.postings.get(t);
      if (!list) this.postings.set(t, (list = new Map<string, number>()));
      list.set(memory.memory_id, f);
    }
    const tier = memory.memory_type;
    this.tierCount.set(tier, (this.tierCount.get(tier) ?? 0) + 1);
    this.tierLength.set(tier, (this.tierLength.get(tier) ?? 0) + entry.length);
  }

  setVector(memoryId: string, content: string, vector: Float32Array): void {
    const entry = this.entries.get(memoryId);
    // An edit may have replaced the content while its old text was being embedded.
    if (entry?.memory.content === content) {
      entry.vector = vector;
      this.vectorless.delete(memoryId);
    }
  }

  remove(memoryId: string): void {
    const entry = this.entries.get(memoryId);
    if (!entry) return;
    this.entries.delete(memoryId);
    this.vectorless.delete(memoryId);
    for (const t of entry.terms.keys()) {
      const list = this.postings.get(t);
      list?.delete(memoryId);
      if (list?.size === 0) this.postings.delete(t);
    }
    const tier = entry.memory.memory_type;
    this.tierCount.set(tier, (this.tierCount.get(tier) ?? 1) - 1);
    this.tierLength.set(tier, (this.tierLength.get(tier) ?? entry.length) - entry.length);
  }

  /** Memories that still need a vector. */
  unembedded(): IndexedMemory[] {
    return [...this.vectorless].map((id) => this.entries.get(id) as IndexedMemory);
  }

  /** The newest memories of a tier, newest first. */
  newest(tier: MemoryType, limit: number): Memory[] {
    return [...this.entries.values()]
      .filter((e) => e.memory.memory_type === tier)
      .map((e) => e.memory)
      .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0))
      .slice(0, limit);
  }

  search(q: IndexQuery): IndexHit[] {
    const tiers = new Set(q.tiers);
    const keyword = q.mode === 'vector' ? new Map<string, number>() : this.bm25(q.text, tiers);
    const similarity = this.similarities(q.vector, tiers);
    const order = this.byScoreThenNewest;
    const ranked = (scores: Map<string, number>): Ranked =>
      [...scores]
        .filter(([, s]) => s > 0)
        .sort(order)
        .slice(0, FUSION_DEPTH);
    let scored: Ranked;
    if (q.mode === 'keyword') scored = ranked(keyword);
    else if (q.mode === 'vector') scored = ranked(similarity);
    else scored = fuse(ranked(keyword), ranked(similarity), this.coverage(q.text, ranked(keyword)[0]?.[0])).sort(order);
    return scored.slice(0, q.limit).map(([id, score]) => {
      const entry = this.entries.get(id) as IndexedMemory;
      return {
        memory: entry.memory,
        score,
        vectorSimilarity: similarity.get(id) ?? null,
        keywordScore: keyword.get(id) ?? null,
      };
    });
  }

  /**
   * Best first; equal scores newest first, then by id: the order never depends on ids alone, so the
   * same memories stored under other ids rank alike.
   */
  private readonly byScoreThenNewest = (a: [string, number], b: [string, number]): number => {
    if (b[1] !== a[1]) return b[1] - a[1];
    const at = (id: string) => this.entries.get(id)?.memory.created_at ?? '';
    const [ta, tb] = [at(a[0]), at(b[0])];
    if (ta !== tb) return ta < tb ? 1 : -1;
    return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
  };

  /** The share of the query's distinct terms that a memory holds (0 without one). */
  private coverage(text: string, memoryId: string | undefined): number {
    const terms = new Set(tokenize(text));
    const held = memoryId === undefined ? undefined : this.entries.get(memoryId)?.terms;
    if (!held || terms.size === 0) return 0;
    return [...terms].filter((t) => held.has(t)).length / terms.size;
  }

  /** BM25 of every memory in `tiers` that holds a query term, with statistics of all of `tiers`. */
  private bm25(text: string, tiers: Set<MemoryType>): Map<string, number> {
    const scores = new Map<string, number>();
    let n = 0;
    let totalLength = 0;
    for (const tier of tiers) {
      n += this.tierCount.get(tier) ?? 0;
      totalLength += this.tierLength.get(tier) ?? 0;
    }
    if (n === 0) return scores;
    const avgLength = totalLength / n || 1;
    for (const term of new Set(tokenize(text))) {
      const list = this.postings.get(term);
      if (!list) continue;
      const inTiers: [IndexedMemory, number][] = [];
      for (const [id, f] of list) {
        const entry = this.entries.get(id) as IndexedMemory;
        if (tiers.has(entry.memory.memory_type)) inTiers.push([entry, f]);
      }
      const df = inTiers.length;
      if (df === 0) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (const [entry, f] of inTiers) {
        const norm = f + BM25_K1 * (1 - BM25_B + (BM25_B * entry.length) / avgLength);
        const id = entry.memory.memory_id;
        scores.set(id, (scores.get(id) ?? 0) + (idf * (f * (BM25_K1 + 1))) / norm);
      }
    }
    return scores;
  }

  /** Exact cosine similarity (vectors are unit length: a dot product) of every embedded memory in `tiers`. */
  private similarities(query: ArrayLike<number>, tiers: Set<MemoryType>): Map<string, number> {
    const out = new Map<string, number>();
    if (query.length === 0) return out;
    const q = Float32Array.from(query);
    for (const [id, entry] of this.entries) {
      const v = entry.vector;
      if (!v || !tiers.has(entry.memory.memory_type) || v.length !== q.length) continue;
      let dot = 0;
      for (let i = 0; i < q.length; i++) dot += (q[i] as number) * (v[i] as number);
      out.set(id, dot);
    }
    return out;
  }
}
