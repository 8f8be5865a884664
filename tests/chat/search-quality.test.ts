/**
 * Search quality on a fixed fixture (tests/fixtures/recall.json): 40 facts with a paraphrased
 * question each, among 260 unrelated notes, written through the API. Prints recall@5; the floor
 * asserted here is what the hybrid search must not fall below.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { call, expectStatus, newAi } from '../support/http.js';
import { createMemory } from '../support/memories.js';

interface Fixture {
  memories: { id: string; content: string }[];
  questions: { question: string; answer: string }[];
}
const fixture = JSON.parse(readFileSync('tests/fixtures/recall.json', 'utf8')) as Fixture;

describe('search quality', () => {
  it('finds the fact for most questions in the top 5', async () => {
    const ai = await newAi('Recall fixture');
    const idOf = new Map<string, string>();
    for (let i = 0; i < fixture.memories.length; i += 10) {
      await Promise.all(
        fixture.memories.slice(i, i + 10).map(async (m) => {
          const { memory_id } = await createMemory(ai, 'long_term_memory', m.content, { route: 'resource' });
          idOf.set(memory_id, m.id);
        }),
      );
    }
    let hits = 0;
    for (const q of fixture.questions) {
      const r = await call('POST', `/v1/ais/${ai.ai_uuid}/search`, {
        token: ai.api_key,
        body: { query: q.question, limit: 5, memory_types: ['long_term_memory'] },
      });
      expectStatus(r, 200);
      if (r.body.results.some((h: { memory: { memory_id: string } }) => idOf.get(h.memory.memory_id) === q.answer))
        hits += 1;
    }
    const recall = hits / fixture.questions.length;
    console.log(`search quality: recall@5 = ${recall.toFixed(3)} (${hits}/${fixture.questions.length})`);
    expect(recall).toBeGreaterThanOrEqual(0.6);
  }, 120_000);
});
