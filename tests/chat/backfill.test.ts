import { describe, expect, it } from 'vitest';
import { memoryRef } from '@memory-weaver/core';
import { createLocalEmbedder } from '../../functions/src/embeddings/local.js';
import { backfillEmbeddings } from '../../functions/src/maintenance/backfillEmbeddings.js';
import { db } from '../support/emulators.js';
import { call, expectStatus, newAi } from '../support/http.js';

describe('backfill of embeddings', () => {
  it('gives memories written before semantic search their vector and terms, and search then finds them', async () => {
    const ai = await newAi('Old memories');
    // As the API wrote memories before this issue: no embedding, no terms.
    const old = memoryRef(db, ai.ai_uuid, 'long_term_memory', 'legacy-1');
    await old.set({
      content: 'The lighthouse keeper retired in 1987.',
      metadata: {},
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const embedder = createLocalEmbedder();
    const result = await backfillEmbeddings(db, embedder, undefined, [ai.ai_uuid]);
    expect(result.updated).toBeGreaterThanOrEqual(1);
    const data = (await old.get()).data();
    expect(data?.embeddingModel).toBe(embedder.id);
    expect(data?.terms).toContain('lighthouse');
    expect(data?.embedding.toArray()).toHaveLength(512);
    const again = await backfillEmbeddings(db, embedder, undefined, [ai.ai_uuid]);
    expect(again.updated).toBe(0);
    const r = await call('POST', `/v1/ais/${ai.ai_uuid}/search`, {
      token: ai.api_key,
      body: { query: 'lighthouse keeper' },
    });
    expectStatus(r, 200);
    expect(r.body.results[0].memory.memory_id).toBe('legacy-1');
  }, 60_000);
});
