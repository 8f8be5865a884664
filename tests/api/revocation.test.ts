/**
 * A key revoked or rotated on one instance stops at once on another that cached it. The app runs
 * in process with the default 60 s key cache; the emulated function is the other instance.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { localAppDeps, startApp, type RunningApp } from '../support/app.js';
import { adminIdToken } from '../support/emulators.js';
import { call, expectError, expectStatus, newAi } from '../support/http.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp(localAppDeps());
});
afterAll(() => app.close());

describe('a key revoked on another instance', () => {
  it.each([
    ['the handshake', 'rotated', 'POST'],
    ['the handshake', 'revoked', 'DELETE'],
    ['an idempotent replay', 'rotated', 'POST'],
    ['an idempotent replay', 'revoked', 'DELETE'],
  ])('gets 401 from %s at once after it was %s', async (call_, _label, method) => {
    const ai = await newAi(`Cached ${randomUUID()}`);
    const baseUrl = app.url;
    const write = {
      token: ai.api_key,
      body: { ai_name: ai.ai_name, ai_uuid: ai.ai_uuid, memory_type: 'archive', memory_data: 'before' },
      headers: { 'Idempotency-Key': randomUUID() },
      baseUrl,
    };
    const handshake = { token: ai.api_key, body: {}, baseUrl };
    // Both succeed, and leave the key verified in this instance's cache.
    expectStatus(await call('POST', '/create_memory', write), 200);
    expectStatus(await call('POST', '/v1/handshake', handshake), 200);

    const retire = await call(method, `/v1/ais/${ai.ai_uuid}/api-key`, { token: await adminIdToken() });
    expectStatus(retire, method === 'POST' ? 201 : 200);

    const reply =
      call_ === 'the handshake'
        ? await call('POST', '/v1/handshake', handshake)
        : await call('POST', '/create_memory', write);
    expectError(reply, 401, 'key_revoked');
  });

  it('still answers the new key of a rotation at once', async () => {
    const ai = await newAi(`Rotated ${randomUUID()}`);
    expectStatus(await call('POST', '/v1/handshake', { token: ai.api_key, body: {}, baseUrl: app.url }), 200);
    const rotated = await call('POST', `/v1/ais/${ai.ai_uuid}/api-key`, { token: await adminIdToken() });
    const reply = await call('POST', '/v1/handshake', { token: rotated.body.api_key, body: {}, baseUrl: app.url });
    expectStatus(reply, 200);
  });
});
