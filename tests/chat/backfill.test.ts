import { describe, expect, it } from 'vitest';
import { memoryRef } from '@memory-weaver/core';
import type { Embedder } from '../../functions/src/embeddings/base.js';
import { createLocalEmbedder } from '../../functions/src/embeddings/local.js';
import { backfillEmbeddings } from '../../functions/src/maintenance/backfillEmbeddings.js';
import { db } from '../support/emulators.js';
import { call, expectStatus, newAi } from '../support/http.js';

describe('backfill of embeddings', () => {
  it('gives memories written before semantic search their vector, and search then finds them', async () => {
    const ai = await newAi('Old memories');
    // As the API wrote memories before this issue: no embedding.
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

describe('backfill racing an edit', () => {
  it("leaves a memory edited while it was being embedded with the edit's own search fields", async () => {
    const ai = await newAi('Edited mid-backfill');
    const before = 'The lighthouse keeper retired in 1987.';
    const after = 'The ferry to the island leaves at noon.';
    const created = await call('POST', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory`, {
      token: ai.api_key,
      body: { content: before },
    });
    expectStatus(created, 201);
    const ref = memoryRef(db, ai.ai_uuid, 'long_term_memory', created.body.memory_id as string);
    // As if written under another embedder, so the backfill takes it up.
    await ref.update({ embeddingModel: 'an-older-embedder' });

    // The embedder is a port: this one lets the memory be edited through the API after the
    // backfill has read it and before it writes, which is when a real (slow) embedder would.
    const local = createLocalEmbedder();
    let edited = false;
    const racing: Embedder = {
      id: local.id,
      dimensions: local.dimensions,
      async embed(texts) {
        if (!edited && texts.includes(before)) {
          edited = true;
          const edit = await call('PATCH', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory/${ref.id}`, {
            token: ai.api_key,
            body: { content: after },
          });
          expectStatus(edit, 200);
        }
        return local.embed(texts);
      },
    };
    const result = await backfillEmbeddings(db, racing, undefined, [ai.ai_uuid]);
    expect(edited).toBe(true);
    expect(result).toMatchObject({ updated: 0, skipped: 1 });
    const data = (await ref.get()).data();
    expect(data?.content).toBe(after);
    // The stored vector is the edit's: it is the new content's, not the old one's.
    const stored = (data?.embedding as { toArray(): number[] }).toArray();
    const [[afterVector = []], [beforeVector = []]] = await Promise.all([local.embed([after]), local.embed([before])]);
    const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
    expect(cosine(stored, afterVector)).toBeCloseTo(1, 5);
    expect(cosine(stored, beforeVector)).toBeLessThan(0.99);
  }, 60_000);
});
