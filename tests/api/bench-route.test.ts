/**
 * The bench's write floor (`POST /v1/_bench/write`, functions/src/routes/bench.ts) exists only
 * under the Functions emulator with a demo- project; anywhere else it is an unknown endpoint.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { benchRoutesEnabled } from '../../functions/src/routes/bench.js';
import { localAppDeps, startApp, type RunningApp } from '../support/app.js';
import { adminIdToken } from '../support/emulators.js';
import { call, expectError, expectStatus, newAi } from '../support/http.js';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** createApp in this process, made while FUNCTIONS_EMULATOR is `value` (or unset). */
async function appWithFunctionsEmulator(value: string | undefined): Promise<string> {
  const before = process.env.FUNCTIONS_EMULATOR;
  if (value === undefined) delete process.env.FUNCTIONS_EMULATOR;
  else process.env.FUNCTIONS_EMULATOR = value;
  try {
    app = await startApp(localAppDeps());
  } finally {
    if (before === undefined) delete process.env.FUNCTIONS_EMULATOR;
    else process.env.FUNCTIONS_EMULATOR = before;
  }
  return app.url;
}

describe('the bench-only write floor', () => {
  it('does not exist outside the Functions emulator: an administrator gets 404', async () => {
    const baseUrl = await appWithFunctionsEmulator(undefined);
    const reply = await call('POST', '/v1/_bench/write', { token: await adminIdToken(), body: {}, baseUrl });
    expectError(reply, 404, 'not_found');
  });

  it('is enabled only by FUNCTIONS_EMULATOR=true with a demo- project id', () => {
    expect(benchRoutesEnabled({})).toBe(false);
    expect(benchRoutesEnabled({ GCLOUD_PROJECT: 'demo-memory-weaver' })).toBe(false);
    expect(benchRoutesEnabled({ FUNCTIONS_EMULATOR: 'true', GCLOUD_PROJECT: 'memory-weaver-prod' })).toBe(false);
    expect(benchRoutesEnabled({ FUNCTIONS_EMULATOR: '1', GCLOUD_PROJECT: 'demo-memory-weaver' })).toBe(false);
    expect(benchRoutesEnabled({ FUNCTIONS_EMULATOR: 'true', GCLOUD_PROJECT: 'demo-memory-weaver' })).toBe(true);
  });

  it('under the emulator, writes for an administrator and refuses an AI key', async () => {
    const baseUrl = await appWithFunctionsEmulator('true');
    const admin = await call('POST', '/v1/_bench/write', { token: await adminIdToken(), body: {}, baseUrl });
    expectStatus(admin, 200);
    expect(admin.body).toEqual({ ok: true });
    const ai = await newAi('BenchFloor');
    const key = await call('POST', '/v1/_bench/write', { token: ai.api_key, body: {}, baseUrl });
    expectError(key, 403, 'permission_denied');
  });
});
