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
import { FUSION, fuse, type Ranked } from './fusion.js';
import { TopK } from './topK.js';

export interface IndexedMemory {
  memory: Memory;
  /** Its place in the index's per-slot arrays (scores of one search). */
  slot: number;
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
/**
 * In a hybrid search, a query term held by more than this share of the searched memories (its IDF
 * is ~0: "user" in a bench where every memory names the user) is not scored over its whole
 * posting list when it can't matter: what it adds to any memory is under (k1 + 1) × IDF, so a
 * memory holding no other query term stays under the keyword floor (fusion.ts) and never votes;
 * the memories that hold another query term get its share added exactly, by lookup.
 */
const COMMON_SHARE = 0.5;

export class MemoryIndex {
  private readonly entries = new Map<string, IndexedMemory>();
  /** Entries by slot; a removed entry's slot is reused. */
  private readonly slots: (IndexedMemory | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  /** term → slot → term frequency. */
  private readonly postings = new Map<string, Map<number, number>>();
  private readonly tierCount = new Map<MemoryType, number>();
  private readonly tierLength = new Map<MemoryType, number>();
  /** Ids of memories without a vector. */
  private readonly vectorless = new Set<string>();
  /** Per-slot scores of the search running now (search is synchronous, so one set serves all). */
  private keywordScores = new Float64Array(0);
  private similarityScores = new Float64Array(0);

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
    const slot = this.freeSlots.pop() ?? this.slots.length;
    const entry: IndexedMemory = { memory, slot, terms, length: tokens.length, vector: keep };
    this.slots[slot] = entry;
    this.entries.set(memory.memory_id, entry);
    if (!keep) this.vectorless.add(memory.memory_id);
    for (const [t, f] of terms) {
      let list = this.postings.get(t);
      if (!list) this.postings.set(t, (list = new Map<number, number>()));
      list.set(slot, f);
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
    this.slots[entry.slot] = undefined;
    this.freeSlots.push(entry.slot);
    this.vectorless.delete(memoryId);
    for (const t of entry.terms.keys()) {
      const list = this.postings.get(t);
      list?.delete(entry.slot);
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
    const top = new TopK<IndexedMemory>(limit, (a, b) => this.newer(a, b));
    for (const e of this.slots) if (e?.memory.memory_type === tier) top.offer(e);
    return top.sorted().map((e) => e.memory);
  }

  search(q: IndexQuery): IndexHit[] {
    const tiers = new Set(q.tiers);
    this.scratch();
    const keyword = q.mode === 'vector' ? [] : this.bm25(q.text, tiers, q.mode === 'hybrid');
    const similar = this.similarities(q.vector, tiers);
    let scored: Ranked;
    if (q.mode === 'keyword') scored = this.ranked(keyword, this.keywordScores, FUSION_DEPTH);
    else if (q.mode === 'vector') scored = this.ranked(similar, this.similarityScores, FUSION_DEPTH);
    else {
      const byWords = this.ranked(keyword, this.keywordScores, FUSION_DEPTH);
      const byMeaning = this.ranked(similar, this.similarityScores, FUSION_DEPTH);
      scored = fuse(byWords, byMeaning, this.coverage(q.text, byWords[0]?.[0])).sort(this.byScoreThenNewest);
    }
    const queryTerms = q.mode === 'vector' ? [] : [...new Set(tokenize(q.text))];
    return scored.slice(0, q.limit).map(([id, score]) => {
      const entry = this.entries.get(id) as IndexedMemory;
      const kw = this.keywordScores[entry.slot] ?? 0;
      return {
        memory: entry.memory,
        score,
        vectorSimilarity:
          q.vector.length > 0 && entry.vector?.length === q.vector.length && this.inTiers(entry, tiers)
            ? (this.similarityScores[entry.slot] ?? 0)
            : null,
        keywordScore:
          kw > 0 ? kw : queryTerms.some((t) => entry.terms.has(t)) ? this.bm25Of(entry, q.text, tiers) : null,
      };
    });
  }

  private inTiers(entry: IndexedMemory, tiers: Set<MemoryType>): boolean {
    return tiers.has(entry.memory.memory_type);
  }

  /** Sizes the per-slot score arrays to the slots, zeroed. */
  private scratch(): void {
    const n = this.slots.length;
    if (this.keywordScores.length < n) {
      const size = Math.max(n, Math.ceil(this.keywordScores.length * 1.5), 64);
      this.keywordScores = new Float64Array(size);
      this.similarityScores = new Float64Array(size);
    } else {
      this.keywordScores.fill(0, 0, n);
      this.similarityScores.fill(0, 0, n);
    }
  }

  /** The best `depth` of `slots` by their score, best first (a selection, not a sort of every score). */
  private ranked(slots: number[], scores: Float64Array, depth: number): Ranked {
    const top = new TopK<number>(depth, (a, b) => {
      const d = (scores[a] ?? 0) - (scores[b] ?? 0);
      return d !== 0 ? d : this.newer(this.slots[a] as IndexedMemory, this.slots[b] as IndexedMemory);
    });
    for (const slot of slots) if ((scores[slot] ?? 0) > 0) top.offer(slot);
    return top.sorted().map((slot) => [(this.slots[slot] as IndexedMemory).memory.memory_id, scores[slot] ?? 0]);
  }

  /** > 0 when `a` is newer than `b` (or, created at the same instant, has the smaller id): the tie order. */
  private newer(a: IndexedMemory, b: IndexedMemory): number {
    const [ta, tb] = [a.memory.created_at, b.memory.created_at];
    if (ta !== tb) return ta > tb ? 1 : -1;
    const [ia, ib] = [a.memory.memory_id, b.memory.memory_id];
    return ia < ib ? 1 : ia > ib ? -1 : 0;
  }

  /**
   * Best first; equal scores newest first, then by id: the order never depends on ids alone, so the
   * same memories stored under other ids rank alike.
   */
  private readonly byScoreThenNewest = (a: [string, number], b: [string, number]): number => {
    if (b[1] !== a[1]) return b[1] - a[1];
    const ea = this.entries.get(a[0]);
    const eb = this.entries.get(b[0]);
    if (!ea || !eb) return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
    return this.newer(eb, ea);
  };

  /** The share of the query's distinct terms that a memory holds (0 without one). */
  private coverage(text: string, memoryId: string | undefined): number {
    const terms = new Set(tokenize(text));
    const held = memoryId === undefined ? undefined : this.entries.get(memoryId)?.terms;
    if (!held || terms.size === 0) return 0;
    return [...terms].filter((t) => held.has(t)).length / terms.size;
  }

  /** Document count and average length of `tiers`. */
  private stats(tiers: Set<MemoryType>): { n: number; avgLength: number } {
    let n = 0;
    let totalLength = 0;
    for (const tier of tiers) {
      n += this.tierCount.get(tier) ?? 0;
      totalLength += this.tierLength.get(tier) ?? 0;
    }
    return { n, avgLength: totalLength / n || 1 };
  }

  /** A term's document frequency within `tiers` (every posting is looked at only when some tier is left out). */
  private df(list: Map<number, number>, tiers: Set<MemoryType>, all: boolean): number {
    if (all) return list.size;
    let df = 0;
    for (const slot of list.keys()) if (tiers.has((this.slots[slot] as IndexedMemory).memory.memory_type)) df++;
    return df;
  }

  private idf(n: number, df: number): number {
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  private termScore(idf: number, f: number, length: number, avgLength: number): number {
    const norm = f + BM25_K1 * (1 - BM25_B + (BM25_B * length) / avgLength);
    return (idf * (f * (BM25_K1 + 1))) / norm;
  }

  /**
   * BM25 of every memory in `tiers` that holds a query term, with statistics of all of `tiers`,
   * into `keywordScores`; returns the slots scored. `hybrid`: common terms may be added by lookup
   * (COMMON_SHARE), which leaves out only memories that fusion would leave out anyway.
   */
  private bm25(text: string, tiers: Set<MemoryType>, hybrid: boolean): number[] {
    const { n, avgLength } = this.stats(tiers);
    if (n === 0) return [];
    const all = tiers.size >= this.tierCount.size && [...this.tierCount.keys()].every((t) => tiers.has(t));
    const terms: { list: Map<number, number>; idf: number; term: string; common: boolean }[] = [];
    for (const term of new Set(tokenize(text))) {
      const list = this.postings.get(term);
      if (!list) continue;
      const df = this.df(list, tiers, all);
      if (df === 0) continue;
      terms.push({ list, idf: this.idf(n, df), term, common: hybrid && df > COMMON_SHARE * n });
    }
    if (terms.every((t) => t.common)) for (const t of terms) t.common = false;
    const scores = this.keywordScores;
    const touched: number[] = [];
    const scoreList = (list: Map<number, number>, idf: number) => {
      for (const [slot, f] of list) {
        const entry = this.slots[slot] as IndexedMemory;
        if (!all && !tiers.has(entry.memory.memory_type)) continue;
        if (scores[slot] === 0) touched.push(slot);
        scores[slot] = (scores[slot] ?? 0) + this.termScore(idf, f, entry.length, avgLength);
      }
    };
    for (const t of terms) if (!t.common) scoreList(t.list, t.idf);
    const common = terms.filter((t) => t.common);
    if (common.length === 0) return touched;
    let best = 0;
    for (const slot of touched) best = Math.max(best, scores[slot] ?? 0);
    const bound = common.reduce((sum, t) => sum + t.idf * (BM25_K1 + 1), 0);
    if (bound < FUSION.keywordFloor * best) {
      for (const slot of touched) {
        const entry = this.slots[slot] as IndexedMemory;
        for (const t of common) {
          const f = entry.terms.get(t.term);
          if (f) scores[slot] = (scores[slot] ?? 0) + this.termScore(t.idf, f, entry.length, avgLength);
        }
      }
    } else {
      for (const t of common) scoreList(t.list, t.idf);
    }
    return touched;
  }

  /** One memory's BM25 for `text` (a hit whose score a hybrid search left out: see COMMON_SHARE). */
  private bm25Of(entry: IndexedMemory, text: string, tiers: Set<MemoryType>): number | null {
    if (!this.inTiers(entry, tiers)) return null;
    const { n, avgLength } = this.stats(tiers);
    const all = [...this.tierCount.keys()].every((t) => tiers.has(t));
    let score = 0;
    for (const term of new Set(tokenize(text))) {
      const f = entry.terms.get(term);
      const list = this.postings.get(term);
      if (!f || !list) continue;
      score += this.termScore(this.idf(n, this.df(list, tiers, all)), f, entry.length, avgLength);
    }
    return score > 0 ? score : null;
  }

  /** Exact cosine similarity (vectors are unit length: a dot product) of every embedded memory in `tiers`, into `similarityScores`. */
  private similarities(query: ArrayLike<number>, tiers: Set<MemoryType>): number[] {
    if (query.length === 0) return [];
    const q = Float32Array.from(query);
    const dims = q.length;
    const out = this.similarityScores;
    const slots: number[] = [];
    for (const entry of this.slots) {
      const v = entry?.vector;
      if (entry === undefined || v?.length !== dims || !tiers.has(entry.memory.memory_type)) continue;
      out[entry.slot] = dot(q, v);
      slots.push(entry.slot);
    }
    return slots;
  }
}

/** The dot product of two vectors of one length, four lanes at a time (about twice as fast in V8 as one). */
function dot(q: Float32Array, v: Float32Array): number {
  const n = q.length;
  const tail = n - (n % 4);
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  for (let i = 0; i < tail; i += 4) {
    d0 += (q[i] as number) * (v[i] as number);
    d1 += (q[i + 1] as number) * (v[i + 1] as number);
    d2 += (q[i + 2] as number) * (v[i + 2] as number);
    d3 += (q[i + 3] as number) * (v[i + 3] as number);
  }
  for (let i = tail; i < n; i++) d0 += (q[i] as number) * (v[i] as number);
  return d0 + d1 + d2 + d3;
}
