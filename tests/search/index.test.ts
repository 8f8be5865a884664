/**
 * Search over each instance's per-AI index (functions/src/search/aiIndexes.ts): every change is in
 * the very next search on any instance (read-your-writes through the event log), another AI's
 * memories never appear, and a cold instance builds from stored vectors without re-embedding.
 * Two in-process apps stand for two function instances: one writes, the other searches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryType } from '@memory-weaver/protocol';
import { AiIndexes } from '../../functions/src/search/aiIndexes.js';
import { createLocalEmbedder } from '../../functions/src/embeddings/local.js';
import { localAppDeps, startApp, type RunningApp } from '../support/app.js';
import { db } from '../support/emulators.js';
import { call, expectError, expectStatus, newAi, type AiSession } from '../support/http.js';
import { createMemory } from '../support/memories.js';

let writer: RunningApp;
let reader: RunningApp;
const readerIndexes = new AiIndexes(db, createLocalEmbedder(), { maxMemories: 100_000 });

beforeAll(async () => {
  writer = await startApp(localAppDeps());
  reader = await startApp({ ...localAppDeps(), indexes: readerIndexes });
});
afterAll(async () => {
  await Promise.all([writer.close(), reader.close()]);
});

interface Found {
  memory_id: string;
  memory_type: MemoryType;
  content: string;
  vector_similarity: number | null;
}

async function search(
  ai: AiSession,
  query: string,
  extra: { mode?: string; memory_types?: MemoryType[]; limit?: number } = {},
  app: RunningApp = reader,
): Promise<Found[]> {
  const r = await call('POST', `/v1/ais/${ai.ai_uuid}/search`, {
    token: ai.api_key,
    body: { query, ...extra },
    baseUrl: app.url,
  });
  expectStatus(r, 200);
  return (r.body.results as { memory: Found; vector_similarity: number | null }[]).map((h) => ({
    ...h.memory,
    vector_similarity: h.vector_similarity,
  }));
}

const patch = (ai: AiSession, tier: MemoryType, id: string, body: object) =>
  call('PATCH', `/v1/ais/${ai.ai_uuid}/memories/${tier}/${id}`, { token: ai.api_key, body, baseUrl: writer.url });

describe('search reflects every change at once, on another instance', () => {
  let ai: AiSession;
  let id: string;
  beforeAll(async () => {
    ai = await newAi('Search read-your-writes');
    // The reader's index of this AI exists (empty) before any memory does.
    expect(await search(ai, 'lighthouse')).toEqual([]);
  });

  it('finds a memory created a moment ago, by words and by meaning', async () => {
    const created = await createMemory(ai, 'long_term_memory', 'The lighthouse keeper retired in 1987.', {
      route: 'resource',
      baseUrl: writer.url,
    });
    id = created.memory_id;
    expect((await search(ai, 'lighthouse', { mode: 'keyword' })).map((m) => m.memory_id)).toEqual([id]);
    const byMeaning = await search(ai, 'the man who kept the light tower stopped working', { mode: 'vector' });
    expect(byMeaning[0]?.memory_id).toBe(id);
    expect(byMeaning[0]?.vector_similarity).toBeGreaterThan(0.2);
  });

  it('finds the new content after an edit, and not the old', async () => {
    expectStatus(await patch(ai, 'long_term_memory', id, { content: 'The ferry to the island leaves at noon.' }), 200);
    expect(await search(ai, 'lighthouse keeper', { mode: 'keyword' })).toEqual([]);
    const [hit] = await search(ai, 'ferry island', { mode: 'keyword' });
    expect(hit).toMatchObject({ memory_id: id, content: 'The ferry to the island leaves at noon.' });
    // The vector is the new content's too.
    const [fresh] = await createLocalEmbedder().embed(['The ferry to the island leaves at noon.']);
    const [query] = await createLocalEmbedder().embed(['boat departure time']);
    const expected = (fresh ?? []).reduce((s, x, i) => s + x * (query?.[i] ?? 0), 0);
    const [byMeaning] = await search(ai, 'boat departure time', { mode: 'vector' });
    expect(byMeaning?.vector_similarity).toBeCloseTo(expected, 4);
  });

  it('finds a moved memory in its new tier only', async () => {
    const moved = await call('POST', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory/${id}/move`, {
      token: ai.api_key,
      body: { to_memory_type: 'archive' },
      baseUrl: writer.url,
    });
    expectStatus(moved, 200);
    expect(await search(ai, 'ferry', { memory_types: ['long_term_memory'] })).toEqual([]);
    expect(await search(ai, 'ferry', { memory_types: ['archive'] })).toMatchObject([
      { memory_id: id, memory_type: 'archive' },
    ]);
  });

  it('no longer finds a deleted memory', async () => {
    const deleted = await call('DELETE', `/v1/ais/${ai.ai_uuid}/memories/archive/${id}`, {
      token: ai.api_key,
      baseUrl: writer.url,
    });
    expectStatus(deleted, 200);
    expect(await search(ai, 'ferry island noon')).toEqual([]);
  });

  it('gives every one of many concurrent searches the change made just before them', async () => {
    const created = await createMemory(ai, 'working_memory', 'Grace prefers green tea in the morning.', {
      route: 'resource',
      baseUrl: writer.url,
    });
    const all = await Promise.all(Array.from({ length: 12 }, () => search(ai, 'green tea')));
    for (const results of all) expect(results.map((m) => m.memory_id)).toContain(created.memory_id);
  });
});

describe('search isolation', () => {
  it("never shows another AI's memories, and refuses another AI's key", async () => {
    const [mine, theirs] = await Promise.all([newAi('Search isolation A'), newAi('Search isolation B')]);
    await createMemory(theirs, 'long_term_memory', 'canary-7f3e the lighthouse keeper', { baseUrl: writer.url });
    await createMemory(mine, 'long_term_memory', 'the lighthouse', { baseUrl: writer.url });
    for (const mode of ['hybrid', 'keyword', 'vector']) {
      const found = await search(mine, 'canary-7f3e lighthouse keeper', { mode });
      expect(found.map((m) => m.content)).toEqual(['the lighthouse']);
    }
    const refused = await call('POST', `/v1/ais/${theirs.ai_uuid}/search`, {
      token: mine.api_key,
      body: { query: 'canary' },
      baseUrl: reader.url,
    });
    expectError(refused, 404, 'not_found');
    expect(refused.text).not.toContain('canary-7f3e');
  });

  it('refuses an unknown mode with a 400', async () => {
    const ai = await newAi('Search bad mode');
    const r = await call('POST', `/v1/ais/${ai.ai_uuid}/search`, {
      token: ai.api_key,
      body: { query: 'x', mode: 'fuzzy' },
      baseUrl: reader.url,
    });
    expectError(r, 400, 'invalid_argument');
  });
});

describe('a cold instance', () => {
  it('builds from the vectors stored by the first search that met the memories, embedding none again', async () => {
    const ai = await newAi('Search cold build');
    for (const text of ['Ada keeps bees on the roof.', 'Ada moved to Lisbon in 2024.', 'Ada plays the cello.']) {
      await createMemory(ai, 'long_term_memory', text, { baseUrl: writer.url });
    }
    // Writes don't embed; the reader's search does, and stores the vectors.
    const embeddedBefore = readerIndexes.info().embedded;
    await search(ai, 'bees');
    expect(readerIndexes.info().embedded - embeddedBefore).toBe(3);
    const cold = new AiIndexes(db, createLocalEmbedder(), { maxMemories: 100_000 });
    const app = await startApp({ ...localAppDeps(), indexes: cold });
    try {
      const found = await search(ai, 'where does Ada live now', {}, app);
      expect(found[0]?.content).toBe('Ada moved to Lisbon in 2024.');
      expect(cold.info()).toMatchObject({ ais: 1, memories: 3, builds: 1, embedded: 0 });
    } finally {
      await app.close();
    }
  });
});

describe('an instance holding more memories than it may', () => {
  it('drops the index of the AI searched least recently, and rebuilds it when asked again', async () => {
    const [first, second] = [await newAi('Search evict A'), await newAi('Search evict B')];
    for (const ai of [first, second]) {
      for (const text of ['one apple', 'two pears', 'three plums']) {
        await createMemory(ai, 'long_term_memory', text, { baseUrl: writer.url });
      }
    }
    const small = new AiIndexes(db, createLocalEmbedder(), { maxMemories: 4 });
    await small.current(first.ai_uuid);
    await small.current(second.ai_uuid);
    expect(small.info()).toMatchObject({ ais: 1, memories: 3, builds: 2 });
    expect((await small.current(first.ai_uuid)).size).toBe(3);
    expect(small.info()).toMatchObject({ ais: 1, builds: 3 });
  });
});
