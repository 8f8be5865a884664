/** With no model configured (the offline default), chat still answers, from memory, and says so. */
import OpenAI from 'openai';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/src/app.js';
import { localAppDeps } from '../support/app.js';
import { newAi } from '../support/http.js';

let server: ReturnType<ReturnType<typeof createApp>['listen']>;
let base: string;
beforeAll(async () => {
  server = createApp(localAppDeps()).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('recall-only mode', () => {
  it('answers with what the AI remembers, clearly labelled, streamed or not', async () => {
    const ai = await newAi('Offline');
    const openai = new OpenAI({ apiKey: ai.api_key, baseURL: `${base}/v1`, maxRetries: 0 });
    const res = await fetch(`${base}/v1/ais/${ai.ai_uuid}/memories/long_term_memory`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ai.api_key}` },
      body: JSON.stringify({ content: 'The user was born in Tromsø, in the far north of Norway.' }),
    });
    expect(res.status).toBe(201);
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
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    expect(text).toContain('[recall-only mode');
  });
});
