import { beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, aiRef, eventsRef, tierRef } from '@memory-weaver/core';
import { adminIdToken, db } from '../support/emulators.js';
import { eventLog } from '../support/events.js';
import { call, expectError, expectStatus, newAi, post } from '../support/http.js';
import { createMemory } from '../support/memories.js';

let admin: string;
beforeAll(async () => {
  admin = await adminIdToken();
});

describe('AI instances', () => {
  it('lists AIs newest first with cursor pagination, for an administrator', async () => {
    const created = [await newAi('page-1'), await newAi('page-2'), await newAi('page-3')];
    const first = await call('GET', '/v1/ais?limit=2', { token: admin });
    expectStatus(first, 200);
    expect(first.body.ais.map((a: { ai_uuid: string }) => a.ai_uuid)).toEqual([
      created[2]?.ai_uuid,
      created[1]?.ai_uuid,
    ]);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await call('GET', `/v1/ais?limit=2&cursor=${first.body.next_cursor}`, { token: admin });
    expect(second.body.ais[0].ai_uuid).toBe(created[0]?.ai_uuid);
  });

  it("shows an AI's key only its own AI in the list", async () => {
    const ai = await newAi('only-me');
    const reply = await call('GET', '/v1/ais', { token: ai.api_key });
    expectStatus(reply, 200);
    expect(reply.body.ais.map((a: { ai_uuid: string }) => a.ai_uuid)).toEqual([ai.ai_uuid]);
  });

  it('gets, renames and keeps the legacy name check in step', async () => {
    const ai = await newAi('Before');
    // A write first, so that the key is in the API's key cache when the rename happens.
    await createMemory(ai, 'archive', 'x');
    const renamed = await call('PATCH', `/v1/ais/${ai.ai_uuid}`, { token: admin, body: { ai_name: 'After' } });
    expectStatus(renamed, 200);
    expect(renamed.body.ai_name).toBe('After');
    const got = await call('GET', `/v1/ais/${ai.ai_uuid}`, { token: ai.api_key });
    expect(got.body.ai_name).toBe('After');
    const memory = { ai_uuid: ai.ai_uuid, memory_type: 'archive', memory_data: 'x' };
    expectError(await post('/create_memory', { ...memory, ai_name: 'Before' }, ai.api_key), 400, 'invalid_argument');
    expectStatus(await post('/create_memory', { ...memory, ai_name: 'After' }, ai.api_key), 200);
  });

  it('deletes an AI with everything it owns and refuses its key afterwards', async () => {
    const ai = await newAi('Doomed');
    await createMemory(ai, 'personal_logs', 'bye');
    expectStatus(await call('DELETE', `/v1/ais/${ai.ai_uuid}`, { token: admin }), 200);
    expect((await aiRef(db, ai.ai_uuid).get()).exists).toBe(false);
    expect((await tierRef(db, ai.ai_uuid, 'personal_logs').get()).size).toBe(0);
    expect((await eventsRef(db, ai.ai_uuid).get()).size).toBe(0);
    expect((await db.collection(API_KEYS).where('aiUuid', '==', ai.ai_uuid).get()).size).toBe(0);
    expectError(await call('GET', `/v1/ais/${ai.ai_uuid}`, { token: ai.api_key }), 401, 'unauthenticated');
    expectError(await call('GET', `/v1/ais/${ai.ai_uuid}`, { token: admin }), 404, 'not_found');
    expectError(await call('DELETE', `/v1/ais/${ai.ai_uuid}`, { token: admin }), 404, 'not_found');
  });

  it('rotates a key: the new one works, the old one is refused as revoked', async () => {
    const ai = await newAi('Rotator');
    const rotated = await call('POST', `/v1/ais/${ai.ai_uuid}/api-key`, { token: admin });
    expectStatus(rotated, 201);
    expect(rotated.body.api_key).not.toBe(ai.api_key);
    expectError(await call('GET', `/v1/ais/${ai.ai_uuid}`, { token: ai.api_key }), 401, 'key_revoked');
    expectStatus(await call('GET', `/v1/ais/${ai.ai_uuid}`, { token: rotated.body.api_key }), 200);
  });

  it('refuses a revoked key on the very next write, even one it just made', async () => {
    const ai = await newAi('Cached');
    const write = () =>
      post(
        '/create_memory',
        { ai_uuid: ai.ai_uuid, ai_name: 'Cached', memory_type: 'archive', memory_data: 'x' },
        ai.api_key,
      );
    expectStatus(await write(), 200);
    expectStatus(await call('DELETE', `/v1/ais/${ai.ai_uuid}/api-key`, { token: admin }), 200);
    expectError(await write(), 401, 'key_revoked');
    expect((await tierRef(db, ai.ai_uuid, 'archive').get()).size).toBe(1);
    expect((await eventLog(ai.ai_uuid)).length).toBe(1);
  });

  it('refuses the key of a deleted AI on the very next write', async () => {
    const ai = await newAi('Gone');
    const write = () =>
      post(
        '/create_memory',
        { ai_uuid: ai.ai_uuid, ai_name: 'Gone', memory_type: 'archive', memory_data: 'x' },
        ai.api_key,
      );
    expectStatus(await write(), 200);
    expectStatus(await call('DELETE', `/v1/ais/${ai.ai_uuid}`, { token: admin }), 200);
    expectError(await write(), 401, 'unauthenticated');
    expect((await tierRef(db, ai.ai_uuid, 'archive').get()).size).toBe(0);
  });

  it('revokes a key, leaving the AI with none until the next rotation', async () => {
    const ai = await newAi('Revoked');
    const revoked = await call('DELETE', `/v1/ais/${ai.ai_uuid}/api-key`, { token: admin });
    expectStatus(revoked, 200);
    expect(revoked.body.revoked_key_prefix).toBe(ai.api_key_prefix);
    expectError(await call('GET', `/v1/ais/${ai.ai_uuid}`, { token: ai.api_key }), 401, 'key_revoked');
    const got = await call('GET', `/v1/ais/${ai.ai_uuid}`, { token: admin });
    expect(got.body.api_key_prefix).toBeNull();
  });

  it('lets only an administrator manage AIs', async () => {
    const ai = await newAi('Self-managed');
    expectError(
      await call('PATCH', `/v1/ais/${ai.ai_uuid}`, { token: ai.api_key, body: { ai_name: 'x' } }),
      403,
      'permission_denied',
    );
    expectError(await call('DELETE', `/v1/ais/${ai.ai_uuid}`, { token: ai.api_key }), 403, 'permission_denied');
    expectError(await call('POST', `/v1/ais/${ai.ai_uuid}/api-key`, { token: ai.api_key }), 403, 'permission_denied');
    expectError(
      await call('POST', '/v1/ais', { token: ai.api_key, body: { ai_name: 'spawn' } }),
      403,
      'permission_denied',
    );
  });
});

describe('memories as resources', () => {
  it('creates, gets, edits, moves and deletes, each with its event', async () => {
    const ai = await newAi('Resourceful');
    const base = `/v1/ais/${ai.ai_uuid}/memories`;
    const created = await call('POST', `${base}/working_memory`, {
      token: admin,
      body: { content: 'draft', metadata: { a: 1 } },
    });
    expectStatus(created, 201);
    const id = created.body.memory_id as string;
    expect(created.body.memory.created_by).toMatchObject({ kind: 'admin' });

    const got = await call('GET', `${base}/working_memory/${id}`, { token: ai.api_key });
    expectStatus(got, 200);
    expect(got.body).toMatchObject({
      memory_id: id,
      content: 'draft',
      metadata: { a: 1 },
      source: 'POST /v1/ais/:ai_uuid/memories/:memory_type',
    });

    const edited = await call('PATCH', `${base}/working_memory/${id}`, {
      token: ai.api_key,
      body: { metadata: { a: 2 } },
    });
    expectStatus(edited, 200);
    expect(edited.body.memory).toMatchObject({ content: 'draft', metadata: { a: 2 }, updated_by: { kind: 'ai_key' } });

    const moved = await call('POST', `${base}/working_memory/${id}/move`, {
      token: ai.api_key,
      body: { to_memory_type: 'archive' },
    });
    expectStatus(moved, 200);
    expect(moved.body.memory).toMatchObject({ memory_type: 'archive', moved_from: 'working_memory' });
    expectError(await call('GET', `${base}/working_memory/${id}`, { token: ai.api_key }), 404, 'not_found');

    expectStatus(await call('DELETE', `${base}/archive/${id}`, { token: ai.api_key }), 200);
    expectError(await call('GET', `${base}/archive/${id}`, { token: ai.api_key }), 404, 'not_found');

    const types = (await eventLog(ai.ai_uuid)).map((e) => e.type);
    expect(types).toEqual(['created', 'updated', 'moved', 'deleted']);
    const api = await call('GET', `/v1/ais/${ai.ai_uuid}/events`, { token: ai.api_key });
    expect(api.body.events.map((e: { type: string }) => e.type)).toEqual(types);
    const after = await call('GET', `/v1/ais/${ai.ai_uuid}/events?after=${api.body.events[1].event_id}`, {
      token: ai.api_key,
    });
    expect(after.body.events.map((e: { type: string }) => e.type)).toEqual(['moved', 'deleted']);
  });

  it('pages through a tier newest first with no gap and no repeat', async () => {
    const ai = await newAi('Pager');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const note = { content: `note ${i}`, metadata: { even: i % 2 === 0 } };
      ids.push((await createMemory(ai, 'archive', note, { route: 'resource' })).memory_id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { memories: { memory_id: string }[]; next_cursor: string | null } } = await call(
        'GET',
        `/v1/ais/${ai.ai_uuid}/memories/archive?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { token: ai.api_key },
      );
      seen.push(...page.body.memories.map((m) => m.memory_id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const even = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/archive?meta.even=true&limit=2`, {
      token: ai.api_key,
    });
    expect(even.body.memories.map((m: { content: string }) => m.content)).toEqual(['note 6', 'note 4']);
    const rest = await call(
      'GET',
      `/v1/ais/${ai.ai_uuid}/memories/archive?meta.even=true&limit=2&cursor=${even.body.next_cursor}`,
      { token: ai.api_key },
    );
    expect(rest.body.memories.map((m: { content: string }) => m.content)).toEqual(['note 2', 'note 0']);
    const text = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/archive?q=NOTE%203`, { token: ai.api_key });
    expect(text.body.memories.map((m: { content: string }) => m.content)).toEqual(['note 3']);
  });

  it.each([
    ['an unknown tier', 'GET', 'dreams', undefined, 400],
    ['a bad cursor', 'GET', 'archive?cursor=garbage', undefined, 400],
    ['a bad limit', 'GET', 'archive?limit=0', undefined, 400],
    ['an unknown query parameter', 'GET', 'archive?colour=red', undefined, 400],
    ['an empty edit', 'PATCH', 'archive/abc', {}, 400],
    ['a move without destination', 'POST', 'archive/abc/move', {}, 400],
  ])('rejects %s', async (_label, method, suffix, body, status) => {
    const ai = await newAi('Strict');
    const reply = await call(method, `/v1/ais/${ai.ai_uuid}/memories/${suffix}`, { token: ai.api_key, body });
    expectError(reply, status, 'invalid_argument');
  });
});
