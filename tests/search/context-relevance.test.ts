/**
 * Context assembly injects what is relevant, not what fits (functions/src/chat/context.ts,
 * RELEVANCE): among many memories, a question that needs two gets those two and not a budget's
 * worth of the rest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAppDeps, startApp, type RunningApp } from '../support/app.js';
import { call, expectStatus, newAi } from '../support/http.js';
import { createMemory } from '../support/memories.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp(localAppDeps());
});
afterAll(() => app.close());

const UNRELATED = [
  'The quarterly tax report was filed with the accountant in March.',
  'Grandma knits scarves for the church bazaar every winter.',
  'The bicycle chain snapped on the way up the hill.',
  'We watched a documentary about deep sea octopuses.',
  'The printer in the office jams when the paper is damp.',
  'Tomorrow the plumber comes to fix the kitchen sink.',
  'The chess club meets on Thursday evenings at the library.',
  'A thunderstorm knocked out the power for two hours.',
  'The marathon route passes the old harbour and the lighthouse.',
  'My neighbour repaints his fence a different colour every spring.',
  'The bakery on the corner sells sourdough only on Saturdays.',
  'The museum reopened its dinosaur hall after the renovation.',
];

describe('context relevance', () => {
  it('gives a question that needs two memories those two, not a budget of the rest', async () => {
    const ai = await newAi('Context relevance');
    const target = { baseUrl: app.url, route: 'resource' as const };
    const [dog, vet] = [
      await createMemory(ai, 'long_term_memory', "Priya's dog is a grey whippet named Biscuit.", target),
      await createMemory(ai, 'long_term_memory', 'Biscuit the whippet sees the vet Dr. Okafor every June.', target),
    ];
    for (const text of UNRELATED) await createMemory(ai, 'long_term_memory', text, target);
    const r = await call('POST', `/v1/ais/${ai.ai_uuid}/context`, {
      token: ai.api_key,
      body: { messages: [{ role: 'user', content: "Which vet looks after Priya's whippet Biscuit?" }] },
      baseUrl: app.url,
    });
    expectStatus(r, 200);
    const used = (r.body.memories_used as { memory_id: string }[]).map((m) => m.memory_id);
    expect(used).toEqual(expect.arrayContaining([dog.memory_id, vet.memory_id]));
    // The ten-hit search returns more than two; the cut-off keeps the two that match.
    expect(used.length).toBeLessThanOrEqual(3);
    expect(r.body.tokens.memories).toBeLessThan(r.body.tokens.budget / 4);
  }, 60_000);
});
