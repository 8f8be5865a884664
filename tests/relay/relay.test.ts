import { describe, expect, it } from 'vitest';
import { adminIdToken, signIn } from '../support/emulators.js';
import { eventLog } from '../support/events.js';
import { call, expectStatus, newAi, post } from '../support/http.js';
import { createMemory } from '../support/memories.js';
import { collect, connectError, connected, request, until } from '../support/relay.js';
import { relaySession } from '../support/relaySession.js';
import { quietWindow } from '../support/wait.js';

const relay = relaySession({ RELAY_AUTH_TIMEOUT_MS: '1500' });
const open = (auth?: Record<string, string>) => relay.open(auth);

describe('authentication', () => {
  it('accepts an AI key in the handshake and joins its own room', async () => {
    const ai = await newAi('Socket A');
    const s = open({ api_key: ai.api_key });
    await connected(s);
    expect(await request(s, 'join', { ai_uuid: ai.ai_uuid })).toEqual({
      ok: true,
      ai_uuid: ai.ai_uuid,
      replayed: 0,
      last_event_id: null,
    });
  });

  it('tells a joining client where the live events start, so that it can resume from there', async () => {
    const ai = await newAi('Resumable');
    await createMemory(ai, 'working_memory', 'before joining');
    const s = open({ api_key: ai.api_key });
    await connected(s);
    const [first] = await eventLog(ai.ai_uuid);
    expect(await request(s, 'join', { ai_uuid: ai.ai_uuid })).toMatchObject({
      ok: true,
      replayed: 0,
      last_event_id: first?.id,
    });
  });

  it('refuses to let a connected socket join once its key is revoked', async () => {
    const ai = await newAi('Revoked while connected');
    const s = open({ api_key: ai.api_key });
    await connected(s);
    expectStatus(await call('DELETE', `/v1/ais/${ai.ai_uuid}/api-key`, { token: await adminIdToken() }), 200);
    expect(await request(s, 'join', { ai_uuid: ai.ai_uuid, since: '000000000001' })).toMatchObject({
      ok: false,
      error: { code: 'key_revoked' },
    });
  });

  it('accepts a bare connection that sends authenticate (seed-style clients)', async () => {
    const ai = await newAi('Seed style');
    const s = open();
    await connected(s);
    expect(await request(s, 'join', { ai_uuid: ai.ai_uuid })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(await request(s, 'authenticate', { api_key: ai.api_key })).toEqual({
      ok: true,
      role: 'ai',
      ai_uuid: ai.ai_uuid,
    });
    expect(await request(s, 'join', { ai_uuid: ai.ai_uuid })).toMatchObject({ ok: true });
  });

  it('disconnects a socket that never authenticates', async () => {
    const s = open();
    await connected(s);
    const reason = await new Promise<string>((resolve) => s.once('disconnect', resolve));
    expect(reason).toBe('io server disconnect');
  });

  it.each([
    [
      'an unknown key',
      { api_key: 'mwk_AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' },
      'unauthenticated',
    ],
    ['a malformed key', { api_key: 'mwk_nope' }, 'unauthenticated'],
    ['a forged token', { token: 'not.a.token' }, 'unauthenticated'],
    ['an unknown auth field', { password: 'x' }, 'invalid_argument'],
  ])('refuses %s at connect with a clear error', async (_label, auth, code) => {
    const err = await connectError(open(auth));
    expect(err?.data?.code).toBe(code);
  });

  it('refuses a revoked key', async () => {
    const ai = await newAi('Revoked socket');
    expectStatus(await call('DELETE', `/v1/ais/${ai.ai_uuid}/api-key`, { token: await adminIdToken() }), 200);
    const err = await connectError(open({ api_key: ai.api_key }));
    expect(err?.data?.code).toBe('key_revoked');
  });

  it('refuses a signed-in user who is not an administrator', async () => {
    const { idToken } = await signIn();
    const err = await connectError(open({ token: idToken }));
    expect(err?.data?.code).toBe('permission_denied');
  });

  it('lets an administrator join any AI room', async () => {
    const ai = await newAi('Watched');
    const s = open({ token: await adminIdToken() });
    await connected(s);
    expect(await request(s, 'join', { ai_uuid: ai.ai_uuid })).toMatchObject({ ok: true });
    expect(await request(s, 'join', { ai_uuid: '00000000-0000-4000-8000-000000000000' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});

describe('rooms and memory_update', () => {
  it("never lets AI A join B's room or see B's events", async () => {
    const [a, b] = [await newAi('Room A'), await newAi('Room B')];
    const sa = open({ api_key: a.api_key });
    await connected(sa);
    const got = collect(sa);
    expect(await request(sa, 'join', { ai_uuid: b.ai_uuid })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await request(sa, 'join', { ai_uuid: a.ai_uuid })).toMatchObject({ ok: true });
    await createMemory(b, 'working_memory', 'secret of B');
    await createMemory(a, 'working_memory', 'note of A');
    await until(() => got.length >= 1, "A's own event");
    // B's event was written first; had it leaked into A's room it would be here by now.
    await quietWindow();
    expect(got.map((u) => u.ai_uuid)).toEqual([a.ai_uuid]);
    expect(JSON.stringify(got)).not.toContain('secret of B');
  });

  it('pushes every kind of change, in order, with the memory where it still exists', async () => {
    const ai = await newAi('Changes');
    const s = open({ api_key: ai.api_key });
    await connected(s);
    const got = collect(s);
    await request(s, 'join', { ai_uuid: ai.ai_uuid });
    const scope = { ai_uuid: ai.ai_uuid, ai_name: 'Changes' };
    const { memory_id: id } = await createMemory(ai, 'working_memory', 'v1');
    await post(
      '/edit_memory',
      { ...scope, memory_type: 'working_memory', memory_id: id, memory_data: 'v2' },
      ai.api_key,
    );
    await post(
      '/move_memory',
      { ...scope, from_memory_type: 'working_memory', to_memory_type: 'archive', document_id: id },
      ai.api_key,
    );
    await post('/delete_memory', { ...scope, memory_type: 'archive', memory_id: id }, ai.api_key);
    await until(() => got.length >= 4, 'four updates');
    expect(got.map((u) => u.type)).toEqual(['created', 'updated', 'moved', 'deleted']);
    expect(got.map((u) => u.memory?.content ?? null)).toEqual(['v1', 'v2', 'v2', null]);
    expect(got[2]).toMatchObject({ from_memory_type: 'working_memory', to_memory_type: 'archive', memory_id: id });
    expect(got.map((u) => u.event_id)).toEqual((await eventLog(ai.ai_uuid)).map((e) => e.id));
  });

  it('replays every event after `since`, then continues live, with no gap and no duplicate', async () => {
    const ai = await newAi('Replay');
    for (let i = 0; i < 5; i++) await createMemory(ai, 'working_memory', `before ${i}`);
    const log = await eventLog(ai.ai_uuid);
    const since = log[1]?.id as string;
    const s = open({ api_key: ai.api_key });
    await connected(s);
    const got = collect(s);
    // Writes race the join: each must arrive exactly once, in log order.
    const writes = Promise.all([
      createMemory(ai, 'working_memory', 'during 1'),
      createMemory(ai, 'working_memory', 'during 2'),
    ]);
    const joined = await request(s, 'join', { ai_uuid: ai.ai_uuid, since });
    await writes;
    await createMemory(ai, 'working_memory', 'after');
    const full = await eventLog(ai.ai_uuid);
    await until(() => got.length >= full.length - 2, 'replay and live events');
    // Every event is in; a duplicate (replayed and also sent live) would arrive within this window.
    await quietWindow();
    expect(joined).toMatchObject({ ok: true });
    expect(got.map((u) => u.event_id)).toEqual(full.slice(2).map((e) => e.id));
  });

  it('answers an unknown `since` with not_found', async () => {
    const ai = await newAi('Unknown since');
    const s = open({ api_key: ai.api_key });
    await connected(s);
    expect(await request(s, 'join', { ai_uuid: ai.ai_uuid, since: 'no-such-event' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('closes the room when the AI is deleted', async () => {
    const ai = await newAi('Deleted room');
    const s = open({ api_key: ai.api_key });
    await connected(s);
    await request(s, 'join', { ai_uuid: ai.ai_uuid });
    const closed = new Promise((resolve) => s.once('room_closed', resolve));
    expectStatus(await call('DELETE', `/v1/ais/${ai.ai_uuid}`, { token: await adminIdToken() }), 200);
    expect(await closed).toEqual({ ai_uuid: ai.ai_uuid, reason: 'ai_deleted' });
  });

  it('drops a connected client whose key is rotated away', async () => {
    const ai = await newAi('Rotated room');
    const s = open({ api_key: ai.api_key });
    await connected(s);
    await request(s, 'join', { ai_uuid: ai.ai_uuid });
    const closed = new Promise((resolve) => s.once('room_closed', resolve));
    expectStatus(await call('POST', `/v1/ais/${ai.ai_uuid}/api-key`, { token: await adminIdToken() }), 201);
    expect(await closed).toEqual({ ai_uuid: ai.ai_uuid, reason: 'key_revoked' });
  });
});

describe('presence', () => {
  it('reports an AI as connected while its client is in its room, and not after', async () => {
    const ai = await newAi('Present');
    const connectedNow = async () =>
      (await call('GET', `/v1/ais/${ai.ai_uuid}`, { token: await adminIdToken() })).body.connected as boolean;
    expect(await connectedNow()).toBe(false);
    const s = open({ api_key: ai.api_key });
    await connected(s);
    await request(s, 'join', { ai_uuid: ai.ai_uuid });
    await expect.poll(connectedNow, { timeout: 5_000 }).toBe(true);
    s.close();
    await expect.poll(connectedNow, { timeout: 5_000 }).toBe(false);
  });
});

describe('other events', () => {
  it('acknowledges a heartbeat with the server time', async () => {
    const s = open();
    await connected(s);
    const ack = await request(s, 'heartbeat', {});
    expect(ack.ok).toBe(true);
    expect(Date.parse((ack as unknown as { server_time: string }).server_time)).toBeGreaterThan(Date.now() - 60_000);
  });

  it.each([
    ['join without ai_uuid', 'join', {}],
    ['join with a bad ai_uuid', 'join', { ai_uuid: 'x' }],
    ['join with extra fields', 'join', { ai_uuid: '00000000-0000-4000-8000-000000000000', room: 'x' }],
    ['leave with a number', 'leave', { ai_uuid: 5 }],
    ['a message over 16 KiB', 'message', { ai_uuid: '00000000-0000-4000-8000-000000000000', text: 'x'.repeat(17_000) }],
  ] as const)('rejects %s with invalid_argument', async (_label, event, payload) => {
    const ai = await newAi('Validator');
    const s = open({ api_key: ai.api_key });
    await connected(s);
    expect(await request(s, event, payload as never)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('rate-limits a flood from one socket without slowing another', async () => {
    const [flooder, calm] = [open(), open()];
    await Promise.all([connected(flooder), connected(calm)]);
    const acks = await Promise.all(Array.from({ length: 120 }, () => request(flooder, 'heartbeat', {})));
    const limited = acks.filter((a) => !a.ok && a.error.code === 'rate_limited').length;
    expect(limited).toBeGreaterThan(0);
    expect(await request(calm, 'heartbeat', {})).toMatchObject({ ok: true });
  });
});
