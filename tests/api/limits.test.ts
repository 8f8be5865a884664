/**
 * Request limits and the response cap, on the app in process with small limits (the defaults are
 * far above what the suite sends). The limits' clock is frozen, so no token refills while a test
 * runs and each count is exact.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { LimitsConfig } from '../../functions/src/config.js';
import { localAppDeps, startApp, type RunningApp } from '../support/app.js';
import { call, expectError, expectStatus, newAi, type Reply } from '../support/http.js';
import { createMemory } from '../support/memories.js';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function appWith(limits: Partial<LimitsConfig>): Promise<string> {
  app = await startApp({ ...localAppDeps(), limits, monotonicNow: () => 0 });
  return app.url;
}

/** A well-formed API key that was never issued. */
const unknownKey = () => `mwk_${randomBytes(12).toString('base64url')}.${randomBytes(32).toString('base64url')}`;

const statuses = (replies: Reply[]) => replies.map((r) => r.status).sort();

describe('the per-key limit', () => {
  it('answers a burst of N+k concurrent requests against a limit of N with exactly k 429s and Retry-After', async () => {
    const baseUrl = await appWith({ perCallerPerMinute: 5 });
    const ai = await newAi('Bursty');
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => call('GET', `/v1/ais/${ai.ai_uuid}`, { token: ai.api_key, baseUrl })),
    );
    expect(statuses(replies)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    for (const refused of replies.filter((r) => r.status === 429)) {
      expectError(refused, 429, 'rate_limited');
      // Five a minute: the next token comes in 12 s.
      expect(refused.headers.get('retry-after')).toBe('12');
      expect(refused.body.error.details).toEqual({ limit: 'caller', retry_after_seconds: 12 });
    }
  });

  it('counts each key on its own', async () => {
    const baseUrl = await appWith({ perCallerPerMinute: 1 });
    const [a, b] = [await newAi('One'), await newAi('Other')];
    expectStatus(await call('GET', `/v1/ais/${a.ai_uuid}`, { token: a.api_key, baseUrl }), 200);
    expectError(await call('GET', `/v1/ais/${a.ai_uuid}`, { token: a.api_key, baseUrl }), 429, 'rate_limited');
    expectStatus(await call('GET', `/v1/ais/${b.ai_uuid}`, { token: b.api_key, baseUrl }), 200);
  });

  it("can't be spent by someone who only knows the key's visible prefix", async () => {
    const baseUrl = await appWith({ perCallerPerMinute: 1 });
    const ai = await newAi('Prefixed');
    const forged = `${ai.api_key.split('.')[0] as string}.${randomBytes(32).toString('base64url')}`;
    expectError(await call('GET', `/v1/ais/${ai.ai_uuid}`, { token: forged, baseUrl }), 401, 'unauthenticated');
    expectStatus(await call('GET', `/v1/ais/${ai.ai_uuid}`, { token: ai.api_key, baseUrl }), 200);
  });

  it('counts writes as well as reads', async () => {
    const baseUrl = await appWith({ perCallerPerMinute: 2 });
    const ai = await newAi('Writer');
    await createMemory(ai, 'archive', 'one', { baseUrl });
    await createMemory(ai, 'archive', 'two', { baseUrl });
    const third = await call('POST', `/v1/ais/${ai.ai_uuid}/memories/archive`, {
      token: ai.api_key,
      body: { content: 'three' },
      baseUrl,
    });
    expectError(third, 429, 'rate_limited');
  });
});

describe('the per-address limit', () => {
  const from = (xff: string) => ({ 'x-forwarded-for': xff });

  it('answers a burst of N+k concurrent requests from one address with exactly k 429s', async () => {
    const baseUrl = await appWith({ perAddressPerMinute: 4 });
    const ai = await newAi('Crowded');
    const replies = await Promise.all(
      Array.from({ length: 6 }, () =>
        call('GET', `/v1/ais/${ai.ai_uuid}`, { token: ai.api_key, baseUrl, headers: from('198.51.100.7') }),
      ),
    );
    expect(statuses(replies)).toEqual([200, 200, 200, 200, 429, 429]);
    const refused = replies.find((r) => r.status === 429) as Reply;
    expect(refused.body.error.details).toEqual({ limit: 'address', retry_after_seconds: 15 });
    expect(refused.headers.get('retry-after')).toBe('15');
  });

  it('counts each address on its own, and refuses even a request without credentials past it', async () => {
    const baseUrl = await appWith({ perAddressPerMinute: 1 });
    expectError(await call('GET', '/v1/ais', { baseUrl, headers: from('198.51.100.1') }), 401, 'unauthenticated');
    expectError(await call('GET', '/v1/ais', { baseUrl, headers: from('198.51.100.1') }), 429, 'rate_limited');
    expectError(await call('GET', '/v1/ais', { baseUrl, headers: from('198.51.100.2') }), 401, 'unauthenticated');
  });

  it('takes the address the front end appended, not one the client wrote in front of it', async () => {
    const baseUrl = await appWith({ perAddressPerMinute: 1 });
    await call('GET', '/v1/ais', { baseUrl, headers: from('198.51.100.9') });
    const forged = await call('GET', '/v1/ais', { baseUrl, headers: from('203.0.113.50, 198.51.100.9') });
    expectError(forged, 429, 'rate_limited');
  });

  it('leaves the health check out', async () => {
    const baseUrl = await appWith({ perAddressPerMinute: 1 });
    for (let i = 0; i < 3; i++) expectStatus(await call('GET', '/v1/healthz', { baseUrl }), 200);
  });
});

describe('failed authentications per address', () => {
  const from = (xff: string) => ({ 'x-forwarded-for': xff });

  it('lets a burst of unknown keys try exactly as many as the limit, and refuses the rest with 429 before any lookup', async () => {
    const baseUrl = await appWith({ authFailuresPerWindow: 3 });
    const replies = await Promise.all(
      Array.from({ length: 5 }, () =>
        call('GET', '/v1/ais', { token: unknownKey(), baseUrl, headers: from('198.51.100.20') }),
      ),
    );
    expect(statuses(replies)).toEqual([401, 401, 401, 429, 429]);
    const refused = replies.find((r) => r.status === 429) as Reply;
    expectError(refused, 429, 'rate_limited');
    expect(refused.body.error.details).toMatchObject({ limit: 'failed_authentications' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('counts failed ID tokens and malformed credentials too', async () => {
    const baseUrl = await appWith({ authFailuresPerWindow: 2 });
    const headers = from('198.51.100.21');
    expectError(await call('GET', '/v1/ais', { token: 'not-a-token', baseUrl, headers }), 401, 'unauthenticated');
    expectError(await call('GET', '/v1/ais', { token: 'mwk_short.key', baseUrl, headers }), 401, 'unauthenticated');
    expectError(await call('GET', '/v1/ais', { token: unknownKey(), baseUrl, headers }), 429, 'rate_limited');
  });

  it("still serves a key that worked from that address, but not a new one, and not another address's budget", async () => {
    const baseUrl = await appWith({ authFailuresPerWindow: 1 });
    const headers = from('198.51.100.22');
    const [known, fresh] = [await newAi('Known'), await newAi('Fresh')];
    expectStatus(await call('GET', `/v1/ais/${known.ai_uuid}`, { token: known.api_key, baseUrl, headers }), 200);
    expectError(await call('GET', '/v1/ais', { token: unknownKey(), baseUrl, headers }), 401, 'unauthenticated');

    expectStatus(await call('GET', `/v1/ais/${known.ai_uuid}`, { token: known.api_key, baseUrl, headers }), 200);
    expectError(
      await call('GET', `/v1/ais/${fresh.ai_uuid}`, { token: fresh.api_key, baseUrl, headers }),
      429,
      'rate_limited',
    );
    const elsewhere = from('198.51.100.23');
    expectStatus(
      await call('GET', `/v1/ais/${fresh.ai_uuid}`, { token: fresh.api_key, baseUrl, headers: elsewhere }),
      200,
    );
  });

  it('does not count requests without credentials, nor credentials that work', async () => {
    const baseUrl = await appWith({ authFailuresPerWindow: 1 });
    const headers = from('198.51.100.24');
    const ai = await newAi('Fine');
    for (let i = 0; i < 3; i++) {
      expectError(await call('GET', '/v1/ais', { baseUrl, headers }), 401, 'unauthenticated');
      expectStatus(await call('GET', `/v1/ais/${ai.ai_uuid}`, { token: ai.api_key, baseUrl, headers }), 200);
    }
    expectError(await call('GET', '/v1/ais', { token: unknownKey(), baseUrl, headers }), 401, 'unauthenticated');
  });
});

describe('chat completions', () => {
  const from = (xff: string) => ({ 'x-forwarded-for': xff });
  const chat = (baseUrl: string, token: string, opts: { stream?: boolean; headers?: Record<string, string> } = {}) =>
    call('POST', '/v1/chat/completions', {
      token,
      baseUrl,
      headers: opts.headers ?? {},
      body: {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'What do you remember?' }],
        ...(opts.stream ? { stream: true } : {}),
      },
    });

  it("count against the key's limit with every other request, streamed or not, and get 429 with Retry-After", async () => {
    const baseUrl = await appWith({ perCallerPerMinute: 3 });
    const ai = await newAi('Chatty');
    expectStatus(await call('GET', `/v1/ais/${ai.ai_uuid}`, { token: ai.api_key, baseUrl }), 200);
    expectStatus(await chat(baseUrl, ai.api_key), 200);
    expectStatus(await chat(baseUrl, ai.api_key, { stream: true }), 200);
    for (const refused of [await chat(baseUrl, ai.api_key), await chat(baseUrl, ai.api_key, { stream: true })]) {
      expectError(refused, 429, 'rate_limited');
      expect(refused.headers.get('retry-after')).toBe('20');
      expect(refused.body.error.details).toEqual({ limit: 'caller', retry_after_seconds: 20 });
    }
    // The chats spent the key's budget for its other requests too.
    expectError(await call('GET', `/v1/ais/${ai.ai_uuid}`, { token: ai.api_key, baseUrl }), 429, 'rate_limited');
  });

  it('count against the address limit', async () => {
    const baseUrl = await appWith({ perAddressPerMinute: 1 });
    const ai = await newAi('Chat address');
    const headers = from('198.51.100.30');
    expectStatus(await chat(baseUrl, ai.api_key, { headers }), 200);
    const refused = await chat(baseUrl, ai.api_key, { headers });
    expectError(refused, 429, 'rate_limited');
    expect(refused.body.error.details).toEqual({ limit: 'address', retry_after_seconds: 60 });
    expect(refused.headers.get('retry-after')).toBe('60');
  });

  it('count failed keys against the address, and a key that worked there keeps working', async () => {
    const baseUrl = await appWith({ authFailuresPerWindow: 1 });
    const headers = from('198.51.100.31');
    const [known, fresh] = [await newAi('Chat known'), await newAi('Chat fresh')];
    expectStatus(await chat(baseUrl, known.api_key, { headers }), 200);
    expectError(await chat(baseUrl, unknownKey(), { headers }), 401, 'unauthenticated');
    // The failure budget is spent: a key that authenticated here still chats, a new one may not try.
    expectStatus(await chat(baseUrl, known.api_key, { headers }), 200);
    const refused = await chat(baseUrl, fresh.api_key, { headers });
    expectError(refused, 429, 'rate_limited');
    expect(refused.body.error.details).toMatchObject({ limit: 'failed_authentications' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the response cap', () => {
  it('cuts retrieve_memories at the byte budget, says so, and the cursor it gives continues without a gap', async () => {
    const baseUrl = await appWith({ maxResponseBytes: 25_000 });
    const ai = await newAi('Hoarder');
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      created.unshift((await createMemory(ai, 'archive', `${i} ${'x'.repeat(6_000)}`, { baseUrl })).memory_id);
    }
    const first = await call('POST', '/retrieve_memories', {
      token: ai.api_key,
      body: { ai_name: 'Hoarder', ai_uuid: ai.ai_uuid, memory_type: 'archive', limit: 500 },
      baseUrl,
    });
    expectStatus(first, 200);
    expect(first.body.truncated).toBe(true);
    expect(first.body.count).toBe(first.body.memories.length);
    expect(Buffer.byteLength(JSON.stringify(first.body.memories))).toBeLessThanOrEqual(25_000);

    const seen: string[] = first.body.memories.map((m: { memory_id: string }) => m.memory_id);
    let cursor: string | null = first.body.next_cursor;
    while (cursor) {
      const page = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/archive?limit=100&cursor=${cursor}`, {
        token: ai.api_key,
        baseUrl,
      });
      expectStatus(page, 200);
      seen.push(...page.body.memories.map((m: { memory_id: string }) => m.memory_id));
      cursor = page.body.next_cursor;
    }
    expect(seen).toEqual(created);
  });

  it('adds nothing to an answer that fits', async () => {
    const baseUrl = await appWith({});
    const ai = await newAi('Modest');
    await createMemory(ai, 'archive', 'small', { baseUrl });
    const reply = await call('POST', '/retrieve_memories', {
      token: ai.api_key,
      body: { ai_name: 'Modest', ai_uuid: ai.ai_uuid, memory_type: 'archive' },
      baseUrl,
    });
    expect(Object.keys(reply.body).sort()).toEqual(['count', 'memories']);
  });
});
