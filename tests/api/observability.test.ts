/**
 * Request ids and the one log line per request: the app in process with a logger the test holds,
 * and the deployed shape (Hosting → Functions emulator) for the headers a client sees.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAppDeps, startApp, type RunningApp } from '../support/app.js';
import { adminIdToken } from '../support/emulators.js';
import { call, expectError, expectStatus, newAi, type Reply } from '../support/http.js';

interface Line {
  level: 'info' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

let app: RunningApp;
const lines: Line[] = [];

beforeAll(async () => {
  app = await startApp({
    ...localAppDeps(),
    log: {
      info: (message, fields) => lines.push({ level: 'info', message, fields }),
      error: (message, fields) => lines.push({ level: 'error', message, fields }),
    },
  });
});
afterAll(() => app.close());

/** The request line of a reply (written when the response has finished, so it may trail the reply). */
async function requestLine(reply: Reply): Promise<Record<string, unknown>> {
  const id = reply.headers.get('x-request-id');
  expect(id).toBeTruthy();
  const find = () => lines.filter((l) => l.message === 'request' && l.fields.request_id === id);
  await expect.poll(() => find().length).toBe(1);
  return (find()[0] as Line).fields;
}

describe('the request log line', () => {
  it('names the route pattern, the AI, the caller kind, the status and the duration, and nothing of the content or the key', async () => {
    const ai = await newAi('Logged');
    const content = `private thought ${randomUUID()}`;
    const reply = await call('POST', `/v1/ais/${ai.ai_uuid}/memories/archive`, {
      token: ai.api_key,
      body: { content, metadata: { mood: 'secretive' } },
      baseUrl: app.url,
    });
    expectStatus(reply, 201);
    const line = await requestLine(reply);
    expect(line).toMatchObject({
      method: 'POST',
      route: 'POST /v1/ais/:ai_uuid/memories/:memory_type',
      ai_uuid: ai.ai_uuid,
      caller: 'ai_key',
      status: 201,
    });
    expect(typeof line.duration_ms).toBe('number');
    expect(line.duration_ms).toBeGreaterThanOrEqual(0);
    const text = JSON.stringify(line);
    for (const secret of [content, 'secretive', ai.api_key, ai.api_key.split('.')[0] as string, reply.body.memory_id]) {
      expect(text).not.toContain(secret);
    }
  });

  it("names an administrator's caller kind and the AI the path names", async () => {
    const ai = await newAi('Inspected');
    const reply = await call('GET', `/v1/ais/${ai.ai_uuid}/events`, { token: await adminIdToken(), baseUrl: app.url });
    expectStatus(reply, 200);
    expect(await requestLine(reply)).toMatchObject({
      route: 'GET /v1/ais/:ai_uuid/events',
      caller: 'admin',
      ai_uuid: ai.ai_uuid,
      status: 200,
    });
  });

  it("names the seed's endpoints by their path, and a refused caller as anonymous", async () => {
    const token = `mwk_${'A'.repeat(16)}.${'b'.repeat(43)}`;
    const reply = await call('POST', '/retrieve_memories', { token, body: {}, baseUrl: app.url });
    expectError(reply, 401, 'unauthenticated');
    const line = await requestLine(reply);
    expect(line).toMatchObject({ route: 'POST /retrieve_memories', caller: 'anonymous', ai_uuid: null, status: 401 });
    expect(JSON.stringify(line)).not.toContain(token);
  });

  it('names the AI and the caller of a chat completion, streamed or not', async () => {
    const ai = await newAi('Chat logged');
    for (const stream of [false, true]) {
      const reply = await call('POST', '/v1/chat/completions', {
        token: ai.api_key,
        body: { model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'Anything to recall?' }] },
        baseUrl: app.url,
      });
      expectStatus(reply, 200);
      expect(await requestLine(reply)).toMatchObject({
        route: 'POST /v1/chat/completions',
        caller: 'ai_key',
        ai_uuid: ai.ai_uuid,
        status: 200,
      });
    }
    const admin = await call('POST', '/v1/chat/completions', {
      token: await adminIdToken(),
      body: { model: 'gpt-4o-mini', ai_uuid: ai.ai_uuid, messages: [{ role: 'user', content: 'And now?' }] },
      baseUrl: app.url,
    });
    expectStatus(admin, 200);
    expect(await requestLine(admin)).toMatchObject({ caller: 'admin', ai_uuid: ai.ai_uuid, status: 200 });
  });

  it('writes a line with no route for a path no endpoint has', async () => {
    const reply = await call('GET', '/v1/nothing-here', { baseUrl: app.url });
    expect(await requestLine(reply)).toMatchObject({ route: null, status: 404, method: 'GET' });
  });
});

describe('the request id', () => {
  it('keeps an incoming x-request-id that looks like an id', async () => {
    const id = `trace-${randomUUID()}`;
    const reply = await call('GET', '/v1/healthz', { baseUrl: app.url, headers: { 'x-request-id': id } });
    expect(reply.headers.get('x-request-id')).toBe(id);
    expect((await requestLine(reply)).request_id).toBe(id);
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['with spaces', 'drop table memories'],
    ['with quotes', '"quoted"'],
  ])('replaces an incoming x-request-id %s with a new one', async (_label, sent) => {
    const reply = await call('GET', '/v1/healthz', { baseUrl: app.url, headers: { 'x-request-id': sent } });
    expect(reply.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives every request its own id', async () => {
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => call('GET', '/v1/healthz', { baseUrl: app.url })),
    );
    expect(new Set(replies.map((r) => r.headers.get('x-request-id'))).size).toBe(5);
  });

  it('is in every error body, beside code, message and details', async () => {
    const replies = [
      await call('GET', '/v1/ais', { baseUrl: app.url }),
      await call('POST', '/create_memory', {
        baseUrl: app.url,
        rawBody: '{"broken": ',
        headers: { 'content-type': 'application/json' },
      }),
      await call('GET', '/v1/nowhere', { baseUrl: app.url }),
    ];
    for (const reply of replies) {
      expect(Object.keys(reply.body.error).sort()).toEqual(['code', 'details', 'message', 'request_id']);
      expect(reply.body.error.request_id).toBe(reply.headers.get('x-request-id'));
    }
  });
});

describe('the answer to an unknown endpoint', () => {
  it('does not echo the path or the method back', async () => {
    const id = randomUUID();
    const reply = await call('DELETE', `/v1/${encodeURIComponent(`<script>${id}</script>`)}`, { baseUrl: app.url });
    expectError(reply, 404, 'not_found');
    expect(reply.text).not.toContain(id);
    expect(reply.text).not.toContain('/v1/');
    expect(reply.text).not.toContain('DELETE');
  });
});

describe('through Hosting and the Functions emulator', () => {
  it('sends x-request-id on successes and errors, the same id the error body carries, and nosniff', async () => {
    const ok = await call('GET', '/v1/healthz');
    expect(ok.headers.get('x-request-id')).toBeTruthy();
    const refused = await call('GET', '/v1/ais');
    expectError(refused, 401, 'unauthenticated');
    expect(refused.body.error.request_id).toBe(refused.headers.get('x-request-id'));
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
