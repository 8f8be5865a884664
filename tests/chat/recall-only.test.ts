/** With no model configured (the offline default), chat still answers, from memory, and says so. */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAppDeps, startApp, type RunningApp } from '../support/app.js';
import { newAi } from '../support/http.js';
import { createMemory } from '../support/memories.js';

// In process: the emulated API is configured with the fake model, and this file needs none.
let app: RunningApp;
beforeAll(async () => {
  app = await startApp(localAppDeps());
});
afterAll(() => app.close());

describe('recall-only mode', () => {
  it('answers with what the AI remembers, clearly labelled, streamed or not', async () => {
    const ai = await newAi('Offline');
    const openai = new OpenAI({ apiKey: ai.api_key, baseURL: `${app.url}/v1`, maxRetries: 0 });
    await createMemory(ai, 'long_term_memory', 'The user was born in Tromsø, in the far north of Norway.', {
      route: 'resource',
      baseUrl: app.url,
    });
    const answer = await openai.chat.completions.create({
      model: 'anything',
      messages: [{ role: 'user', content: 'Where was I born?' }],
    });
    expect(answer.model).toBe('memory-weaver-recall-only');
    expect(answer.choices[0]?.message.content).toMatch(
      /^\[recall-only mode: no language model is configured on this server\]/,
    );
    expect(answer.choices[0]?.message.content).toContain('Tromsø');
    const stream = await openai.chat.completions.create({
      model: 'anything',
      stream: true,
      messages: [{ role: 'user', content: 'Norway?' }],
    });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text).toContain('[recall-only mode');
  });
});
