/**
 * `npm run backfill-embeddings` (functions/src/maintenance/backfillEmbeddings.ts): every memory
 * gets a stored vector for its content (search/vectors.ts), which a cold search index then reads
 * instead of embedding again; a vector made from content an edit replaced is never used.
 */
import { describe, expect, it } from 'vitest';
import { cipherFor, memoryRef } from '@memory-weaver/core';
import type { Embedder } from '../../functions/src/embeddings/base.js';
import { createLocalEmbedder } from '../../functions/src/embeddings/local.js';
import { backfillEmbeddings } from '../../functions/src/maintenance/backfillEmbeddings.js';
import { AiIndexes } from '../../functions/src/search/aiIndexes.js';
import { contentKey, vectorsRef } from '../../functions/src/search/vectors.js';
import { db } from '../support/emulators.js';
import { call, expectStatus, newAi } from '../support/http.js';
import { createMemory, storedState } from '../support/memories.js';

describe('backfill of embeddings', () => {
  it('stores a vector for every memory without one, changing no memory, and a cold index then embeds nothing', async () => {
    const ai = await newAi('Old memories');
    // As a memory document written without a vector (the API doesn't embed on write).
    const old = memoryRef(db, ai.ai_uuid, 'long_term_memory', 'legacy-1');
    await old.set({
      content: 'The lighthouse keeper retired in 1987.',
      metadata: {},
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await createMemory(ai, 'archive', 'The ferry to the island leaves at noon.');
    const before = await storedState(ai.ai_uuid);
    const embedder = createLocalEmbedder();
    expect(await backfillEmbeddings(db, embedder, undefined, [ai.ai_uuid])).toEqual({ scanned: 2, updated: 2 });
    expect(await storedState(ai.ai_uuid)).toEqual(before);
    const stored = (await vectorsRef(db, ai.ai_uuid).doc('legacy-1').get()).data();
    expect(stored?.embeddingModel).toBe(embedder.id);
    // Keyed by the AI's data key when it has one (search/vectors.ts).
    const cipher = await cipherFor(db, ai.ai_uuid);
    expect(stored?.contentKey).toBe(contentKey('The lighthouse keeper retired in 1987.', cipher));
    expect((stored?.embedding as { toArray(): number[] }).toArray()).toHaveLength(512);
    expect(await backfillEmbeddings(db, embedder, undefined, [ai.ai_uuid])).toEqual({ scanned: 2, updated: 0 });

    const cold = new AiIndexes(db, embedder, { maxMemories: 1_000 });
    const index = await cold.current(ai.ai_uuid);
    expect(index.size).toBe(2);
    expect(cold.info().embedded).toBe(0);
    const r = await call('POST', `/v1/ais/${ai.ai_uuid}/search`, {
      token: ai.api_key,
      body: { query: 'lighthouse keeper' },
    });
    expectStatus(r, 200);
    expect(r.body.results[0].memory.memory_id).toBe('legacy-1');
  }, 60_000);
});

describe('backfill racing an edit', () => {
  it('never gives the edited content the vector of the content it replaced', async () => {
    const ai = await newAi('Edited mid-backfill');
    const before = 'The lighthouse keeper retired in 1987.';
    const after = 'The ferry to the island leaves at noon.';
    const created = await call('POST', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory`, {
      token: ai.api_key,
      body: { content: before },
    });
    expectStatus(created, 201);
    const id = created.body.memory_id as string;

    // The embedder is a port: this one lets the memory be edited through the API after the
    // backfill has read it and before it stores the vector, which is when a real (slow) embedder would.
    const local = createLocalEmbedder();
    let edited = false;
    const racing: Embedder = {
      id: local.id,
      dimensions: local.dimensions,
      async embed(texts) {
        if (!edited && texts.includes(before)) {
          edited = true;
          const edit = await call('PATCH', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory/${id}`, {
            token: ai.api_key,
            body: { content: after },
          });
          expectStatus(edit, 200);
        }
        return local.embed(texts);
      },
    };
    await backfillEmbeddings(db, racing, undefined, [ai.ai_uuid]);
    expect(edited).toBe(true);
    // The stored vector names the old content, so an index gives the new content a fresh one.
    const cipher = await cipherFor(db, ai.ai_uuid);
    expect((await vectorsRef(db, ai.ai_uuid).doc(id).get()).get('contentKey')).toBe(contentKey(before, cipher));
    const cold = new AiIndexes(db, local, { maxMemories: 1_000 });
    const entry = (await cold.current(ai.ai_uuid)).get(id);
    expect(entry?.memory.content).toBe(after);
    expect(cold.info().embedded).toBe(1);
    const [fresh = []] = await local.embed([after]);
    expect(Array.from(entry?.vector ?? []).reduce((s, x, i) => s + x * (fresh[i] ?? 0), 0)).toBeCloseTo(1, 4);
    // And the index stored that vector, under the new content's key.
    expect((await vectorsRef(db, ai.ai_uuid).doc(id).get()).get('contentKey')).toBe(contentKey(after, cipher));
  }, 60_000);
});
