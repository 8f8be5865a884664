/**
 * Deleting an AI (issue 13): nothing of it remains in any collection, read raw with firebase-admin
 * (every document under its registry entry, every top-level document: key records, Idempotency-Key
 * records of its key and of an administrator's requests about it, relay presence, data keys), and a
 * delete cut short (its first step only, or `deletedAt` set by hand) is finished by the sweep.
 */
import { randomUUID } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { aiRef, systemClock } from '@memory-weaver/core';
import { markAiDeleted } from '../../functions/src/ai/manageAi.js';
import type { MutationContext } from '../../functions/src/context.js';
import { sweepForgotten } from '../../functions/src/forget/sweep.js';
import { adminIdToken, db } from '../support/emulators.js';
import { call, expectError, expectStatus, newAi, type AiSession } from '../support/http.js';
import { connected, request } from '../support/relay.js';
import { relaySession } from '../support/relaySession.js';
import { holding, walkAi, walkTopLevel } from './walk.js';

const relay = relaySession();

const base = (ai: AiSession) => `/v1/ais/${ai.ai_uuid}`;
/** The key id (the visible prefix): key records and caches name it. */
const keyIdOf = (ai: AiSession) => ai.api_key.slice('mwk_'.length).split('.')[0] as string;

/** An AI that has a bit of everything: memories with history, a vector, a chat session, records, a relay client. */
async function livedAi(name: string): Promise<AiSession> {
  const ai = await newAi(name);
  const admin = await adminIdToken();
  const created = await call('POST', `${base(ai)}/memories/long_term_memory`, {
    token: ai.api_key,
    body: { content: 'The user keeps bees' },
    headers: { 'idempotency-key': `ai-${randomUUID()}` },
  });
  expectStatus(created, 201);
  const id = String(created.body.memory_id);
  expectStatus(
    await call('PATCH', `${base(ai)}/memories/long_term_memory/${id}`, {
      token: ai.api_key,
      body: { content: 'The user keeps two hives of bees' },
    }),
    200,
  );
  expectStatus(
    await call('PATCH', base(ai), {
      token: admin,
      body: { instructions: 'be brief' },
      headers: { 'idempotency-key': `admin-${randomUUID()}` },
    }),
    200,
  );
  expectStatus(await call('POST', `${base(ai)}/search`, { token: ai.api_key, body: { query: 'bees' } }), 200);
  expectStatus(
    await call('POST', '/v1/chat/completions', {
      token: ai.api_key,
      body: { model: 'fake-echo', messages: [{ role: 'user', content: 'tell me about my bees' }] },
    }),
    200,
  );
  expectStatus(await call('POST', `${base(ai)}/consolidate`, { token: ai.api_key, body: { dry_run: true } }), 200);
  return ai;
}

async function everythingOf(ai: AiSession): Promise<{ under: string[]; named: string[] }> {
  const top = await walkTopLevel();
  return {
    under: (await walkAi(ai.ai_uuid)).map((d) => d.path),
    named: [...holding(top, ai.ai_uuid), ...holding(top, keyIdOf(ai))],
  };
}

const adminCtx = (): MutationContext => ({
  db,
  clock: systemClock,
  principal: { kind: 'admin', uid: 'test-admin' },
  via: 'DELETE /v1/ais/:ai_uuid',
  record: () => undefined,
});

describe('forgetting an AI', () => {
  it('after DELETE nothing of the AI remains in any collection', async () => {
    const ai = await livedAi('Gone');
    const socket = relay.open({ api_key: ai.api_key });
    await connected(socket);
    expect(await request(socket, 'join', { ai_uuid: ai.ai_uuid })).toMatchObject({ ok: true });
    expect(await request(socket, 'message', { ai_uuid: ai.ai_uuid, text: 'hello room' })).toMatchObject({ ok: true });

    const before = await everythingOf(ai);
    // The walk sees what there is: documents under the AI, and top-level records naming it.
    for (const sub of ['long_term_memory', 'versions', 'events', 'chat_sessions', 'consolidations', 'relay_messages'])
      expect(before.under.some((p) => p.includes(`/${sub}/`))).toBe(true);
    expect(before.named.some((p) => p.startsWith('api_keys/'))).toBe(true);
    expect(before.named.filter((p) => p.startsWith('idempotency_records/')).length).toBeGreaterThanOrEqual(2);

    expectStatus(await call('DELETE', base(ai), { token: await adminIdToken() }), 200);
    socket.close();
    // A relay process republishes its presence when the room closes: wait for the last of it.
    await expect
      .poll(async () => everythingOf(ai), { timeout: 15_000, interval: 200 })
      .toEqual({ under: [], named: [] });
    expectError(await call('GET', base(ai), { token: await adminIdToken() }), 404, 'not_found');
    expectError(await call('GET', base(ai), { token: ai.api_key }), 401, 'unauthenticated');
  });

  it('a delete cut short after its first step is finished by the sweep', async () => {
    const ai = await livedAi('Half gone');
    await markAiDeleted(adminCtx(), ai.ai_uuid);
    // Already gone to every caller, but its documents are still there.
    expectError(await call('GET', base(ai), { token: await adminIdToken() }), 404, 'not_found');
    expect((await everythingOf(ai)).under.length).toBeGreaterThan(5);

    const report = await sweepForgotten({ db });
    expect(report.ais_purged).toBeGreaterThanOrEqual(1);
    expect(await everythingOf(ai)).toEqual({ under: [], named: [] });
  });

  it('an AI marked deleted by hand, keys and all, is purged by the sweep', async () => {
    const ai = await livedAi('Marked');
    await aiRef(db, ai.ai_uuid).update({ deletedAt: Timestamp.now() });
    expect((await everythingOf(ai)).named.some((p) => p.startsWith('api_keys/'))).toBe(true);
    await sweepForgotten({ db });
    expect(await everythingOf(ai)).toEqual({ under: [], named: [] });
  });

  it('the sweep leaves live AIs alone', async () => {
    const ai = await livedAi('Alive');
    // Search and chat note the memories they retrieved a moment later (search/retrievals.ts flushes
    // every 2 s): wait for that note, so that a change between the two walks is the sweep's alone.
    await expect
      .poll(async () => (await aiRef(db, ai.ai_uuid).collection('retrievals').get()).size, { timeout: 10_000 })
      .toBeGreaterThan(0);
    const before = await everythingOf(ai);
    await sweepForgotten({ db });
    expect((await everythingOf(ai)).under).toEqual(before.under);
    expectStatus(await call('GET', base(ai), { token: ai.api_key }), 200);
  });
});
