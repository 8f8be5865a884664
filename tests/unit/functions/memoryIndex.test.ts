import { describe, expect, it } from 'vitest';
import type { Memory, MemoryType } from '@memory-weaver/protocol';
import { MemoryIndex, type IndexQuery } from '../../../functions/src/search/memoryIndex.js';
import { fuse } from '../../../functions/src/search/fusion.js';

const ACTOR = { kind: 'admin' as const, id: 'x' };
let clock = 0;
const memory = (id: string, content: string, tier: MemoryType = 'long_term_memory'): Memory => {
  const at = new Date(Date.UTC(2026, 0, 1) + clock++ * 1000).toISOString();
  return {
    memory_id: id,
    memory_type: tier,
    content,
    metadata: {},
    created_at: at,
    updated_at: at,
    created_by: ACTOR,
    updated_by: ACTOR,
    source: 'test',
    moved_from: null,
    moved_at: null,
  };
};
const unit = (...xs: number[]): Float32Array => {
  const n = Math.hypot(...xs) || 1;
  return Float32Array.from(xs.map((x) => x / n));
};
const ALL: MemoryType[] = ['working_memory', 'long_term_memory', 'personal_logs', 'archive'];
const q = (text: string, extra: Partial<IndexQuery> = {}): IndexQuery => ({
  text,
  vector: [],
  tiers: ALL,
  mode: 'keyword',
  limit: 10,
  ...extra,
});
const ids = (index: MemoryIndex, query: IndexQuery) => index.search(query).map((h) => h.memory.memory_id);

describe('the memory index: BM25 over every memory of the searched tiers', () => {
  it('finds nothing in an empty index or for a query of stopwords', () => {
    const index = new MemoryIndex();
    expect(index.search(q('cat'))).toEqual([]);
    index.upsert(memory('a', 'the cat'), null);
    expect(index.search(q('the of and'))).toEqual([]);
  });

  it('leaves out memories without a query term', () => {
    const index = new MemoryIndex();
    index.upsert(memory('a', 'cat'), null);
    index.upsert(memory('b', 'dog'), null);
    expect(ids(index, q('cat'))).toEqual(['a']);
  });

  it('ranks a memory holding more of the query first', () => {
    const index = new MemoryIndex();
    index.upsert(memory('one', 'cat dog mat'), null);
    index.upsert(memory('both', 'cat hat mat'), null);
    expect(ids(index, q('cat hat'))).toEqual(['both', 'one']);
  });

  it('weighs a rare term above a common one, counting every memory (not a sample)', () => {
    const index = new MemoryIndex();
    index.upsert(memory('rare', 'rare filler'), null);
    for (let i = 0; i < 300; i++) index.upsert(memory(`c${String(i)}`, 'common filler'), null);
    expect(ids(index, q('rare common'))[0]).toBe('rare');
    expect(index.search(q('common', { limit: 50 }))).toHaveLength(50);
  });

  it('ranks the shorter of two memories with the same matches higher', () => {
    const index = new MemoryIndex();
    index.upsert(memory('long', 'cat dog fish bird cow pig'), null);
    index.upsert(memory('short', 'cat dog'), null);
    expect(ids(index, q('cat'))).toEqual(['short', 'long']);
  });

  it('gives a repeated term more weight, with diminishing returns', () => {
    const index = new MemoryIndex();
    index.upsert(memory('once', 'cat xx yy'), null);
    index.upsert(memory('twice', 'cat cat yy'), null);
    index.upsert(memory('thrice', 'cat cat cat'), null);
    index.upsert(memory('other', 'dog'), null);
    const score = (id: string) => index.search(q('cat')).find((h) => h.memory.memory_id === id)?.keywordScore ?? 0;
    expect(score('twice')).toBeGreaterThan(score('once'));
    expect(score('thrice') - score('twice')).toBeLessThan(score('twice') - score('once'));
  });

  it('ranks the same memories the same whatever their ids (no id-order sample)', () => {
    const texts = Array.from(
      { length: 400 },
      (_, i) => `Ada said hello ${i % 7 === 0 ? 'about the garden' : 'again'} ${String(i)}`,
    );
    const first = new MemoryIndex();
    const second = new MemoryIndex();
    texts.forEach((t, i) => first.upsert(memory(`a${String(i).padStart(3, '0')}`, t), null));
    texts.forEach((t, i) => second.upsert(memory(`z${String(999 - i)}`, t), null));
    const contents = (index: MemoryIndex) => index.search(q('Ada garden', { limit: 20 })).map((h) => h.memory.content);
    expect(contents(first)).toEqual(contents(second));
  });

  it('searches only the tiers asked for, with their statistics', () => {
    const index = new MemoryIndex();
    index.upsert(memory('lt', 'cat', 'long_term_memory'), null);
    index.upsert(memory('ar', 'cat', 'archive'), null);
    expect(ids(index, q('cat', { tiers: ['archive'] }))).toEqual(['ar']);
  });
});

describe('the memory index: changes', () => {
  it('reflects an edit, a move and a delete at once', () => {
    const index = new MemoryIndex();
    index.upsert(memory('m', 'cat'), unit(1, 0));
    index.upsert({ ...memory('m', 'dog'), memory_type: 'long_term_memory' }, null);
    expect(ids(index, q('cat'))).toEqual([]);
    expect(ids(index, q('dog'))).toEqual(['m']);
    index.upsert(memory('m', 'dog', 'archive'), null);
    expect(ids(index, q('dog', { tiers: ['long_term_memory'] }))).toEqual([]);
    expect(ids(index, q('dog', { tiers: ['archive'] }))).toEqual(['m']);
    index.remove('m');
    expect(ids(index, q('dog'))).toEqual([]);
    expect(index.size).toBe(0);
  });

  it('keeps a vector across a move but not across a new content', () => {
    const index = new MemoryIndex();
    index.upsert(memory('m', 'cat'), unit(1, 0));
    index.upsert(memory('m', 'cat', 'archive'), null);
    expect(index.unembedded()).toEqual([]);
    index.upsert(memory('m', 'dog', 'archive'), null);
    expect(index.unembedded().map((e) => e.memory.memory_id)).toEqual(['m']);
    // A vector made from the old content arrives late: it is not taken.
    index.setVector('m', 'cat', unit(1, 0));
    expect(index.unembedded()).toHaveLength(1);
    index.setVector('m', 'dog', unit(0, 1));
    expect(index.unembedded()).toEqual([]);
  });

  it('lists the newest memories of a tier first', () => {
    const index = new MemoryIndex();
    index.upsert(memory('old', 'a', 'working_memory'), null);
    index.upsert(memory('new', 'b', 'working_memory'), null);
    index.upsert(memory('other', 'c', 'archive'), null);
    expect(index.newest('working_memory', 5).map((m) => m.memory_id)).toEqual(['new', 'old']);
  });
});

describe('the memory index: vectors and fusion', () => {
  it('ranks by exact cosine similarity in vector mode', () => {
    const index = new MemoryIndex();
    index.upsert(memory('near', 'x'), unit(1, 0.1));
    index.upsert(memory('far', 'y'), unit(0.2, 1));
    index.upsert(memory('none', 'z'), null);
    const hits = index.search(q('anything', { mode: 'vector', vector: unit(1, 0) }));
    expect(hits.map((h) => h.memory.memory_id)).toEqual(['near', 'far']);
    expect(hits[0]?.vectorSimilarity).toBeCloseTo(1 / Math.hypot(1, 0.1), 5);
  });

  it('fuses: a memory both signals rank high beats one only one signal ranks', () => {
    const index = new MemoryIndex();
    index.upsert(memory('both', 'garden tomatoes'), unit(1, 0));
    index.upsert(memory('words', 'garden garden'), unit(0, 1));
    index.upsert(memory('meaning', 'plants'), unit(0.99, 0.05));
    const hits = ids(index, q('garden', { mode: 'hybrid', vector: unit(1, 0) }));
    expect(hits[0]).toBe('both');
    expect(hits).toHaveLength(3);
  });

  it('fuse adds reciprocal ranks with the weights given', () => {
    const fused = fuse(
      [
        ['a', 9],
        ['b', 5],
      ],
      [
        ['b', 0.9],
        ['c', 0.5],
      ],
      1,
      { k: 1, keywordWeight: 1, vectorWeight: 1, keywordFloor: 0, minKeywordCoverage: 0 },
    );
    expect(fused).toEqual([
      ['b', 1 / 3 + 1 / 2],
      ['a', 1 / 2],
      ['c', 1 / 3],
    ]);
  });

  it('leaves keyword hits below the floor out of the fusion', () => {
    const keyword: [string, number][] = [
      ['strong', 10],
      ['weak', 2],
    ];
    const fused = fuse(keyword, [], 1, {
      k: 1,
      keywordWeight: 1,
      vectorWeight: 1,
      keywordFloor: 0.3,
      minKeywordCoverage: 0,
    });
    expect(fused.map(([id]) => id)).toEqual(['strong']);
  });

  it("lets keywords vote only when the best keyword hit covers enough of the query's terms", () => {
    const weights = { k: 1, keywordWeight: 1, vectorWeight: 1, keywordFloor: 0, minKeywordCoverage: 0.5 };
    const keyword: [string, number][] = [['word', 5]];
    const vector: [string, number][] = [['meaning', 0.9]];
    expect(fuse(keyword, vector, 0.4, weights).map(([id]) => id)).toEqual(['meaning']);
    expect(fuse(keyword, vector, 0.5, weights).map(([id]) => id)).toEqual(['meaning', 'word']);
  });
});
