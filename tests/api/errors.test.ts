import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tierRef } from '@memory-weaver/core';
import { localAppDeps, startApp, type RunningApp } from '../support/app.js';
import { db } from '../support/emulators.js';
import { call, expectError, newAi } from '../support/http.js';

describe('errors through the deployed shape (Hosting → Functions)', () => {
  it('answers an oversized body with 413 and stores nothing', async () => {
    const ai = await newAi('Big');
    const reply = await call('POST', '/create_memory', {
      token: ai.api_key,
      body: { ai_name: 'Big', ai_uuid: ai.ai_uuid, memory_type: 'archive', memory_data: 'x'.repeat(600 * 1024) },
    });
    expectError(reply, 413, 'payload_too_large');
    expect((await tierRef(db, ai.ai_uuid, 'archive').get()).size).toBe(0);
  });

  it('answers content that is too long for one memory with 400', async () => {
    const ai = await newAi('Long');
    const reply = await call('POST', '/create_memory', {
      token: ai.api_key,
      body: { ai_name: 'Long', ai_uuid: ai.ai_uuid, memory_type: 'archive', memory_data: 'x'.repeat(100_001) },
    });
    expectError(reply, 400, 'invalid_argument');
  });

  it('answers a body that is not JSON with 415', async () => {
    const ai = await newAi('Texty');
    const reply = await call('POST', '/create_memory', {
      token: ai.api_key,
      rawBody: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expectError(reply, 415, 'unsupported_media_type');
  });

  it('answers an unknown endpoint with a JSON 404', async () => {
    const ai = await newAi('Lost');
    expectError(await call('GET', '/v1/nowhere', { token: ai.api_key }), 404, 'not_found');
  });

  it('lets the platform reject malformed JSON with a 400 that shows nothing internal', async () => {
    // Cloud Functions parses JSON bodies before the app runs, so this 400 is the platform's own
    // (not our JSON error shape); the in-process tests below show the app's answer.
    const reply = await call('POST', '/create_memory', {
      rawBody: '{"ai_name": ',
      headers: { 'content-type': 'application/json' },
      contract: false, // the platform's page, not an answer of the app (see above)
    });
    expect(reply.status).toBe(400);
    expect(reply.text).not.toMatch(/SyntaxError|at .+\.js:\d+|JSON\.parse/);
  });
});

describe('errors from the app itself (in process, real HTTP, real emulators)', () => {
  let app: RunningApp;
  const logged: string[] = [];

  beforeAll(async () => {
    app = await startApp({
      ...localAppDeps(),
      log: { error: (message, fields) => logged.push(`${message} ${JSON.stringify(fields)}`) },
    });
  });
  afterAll(() => app.close());

  it('answers malformed JSON with 400 invalid_json', async () => {
    const ai = await newAi('Garbled');
    const res = await fetch(`${app.url}/create_memory`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ai.api_key}` },
      body: '{"ai_name": ',
    });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'invalid_json', details: null } });
    expect(text).not.toMatch(/SyntaxError|at .+\.js:\d+/);
  });

  it('turns an unexpected failure into a generic 500 and logs the detail instead', async () => {
    // A clock that throws stands in for any bug of ours: the client must see nothing of it.
    const broken = await startApp({
      ...localAppDeps(),
      clock: {
        now: () => {
          throw new Error('secret internal detail');
        },
      },
      log: { error: (message, fields) => logged.push(`${message} ${JSON.stringify(fields)}`) },
    });
    const ai = await newAi('Unlucky');
    const res = await fetch(`${broken.url}/v1/ais/${ai.ai_uuid}/memories/archive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ai.api_key}` },
      body: JSON.stringify({ content: 'x' }),
    });
    await broken.close();
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(JSON.parse(text)).toEqual({
      error: { code: 'internal', message: 'internal error', details: null, request_id: expect.any(String) },
    });
    expect(text).not.toContain('secret internal detail');
    expect(logged.some((line) => line.includes('secret internal detail'))).toBe(true);
    expect((await tierRef(db, ai.ai_uuid, 'archive').get()).size).toBe(0);
  });
});
