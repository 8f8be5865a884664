import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { MemoryType } from '@memory-weaver/protocol';
import { AI_REGISTRY, IDEMPOTENCY, tierRef } from '@memory-weaver/core';
import { adminIdToken, db } from '../support/emulators.js';
import { eventLog } from '../support/events.js';
import { call, expectError, expectStatus, newAi, post } from '../support/http.js';
import { createMemory } from '../support/memories.js';

const memoriesIn = async (aiUuid: string, tier: MemoryType) => (await tierRef(db, aiUuid, tier).get()).size;

describe('Idempotency-Key', () => {
  it('replays a create: same result, one memory, one event', async () => {
    const ai = await newAi('Retrier');
    const key = randomUUID();
    const body = { ai_name: 'Retrier', ai_uuid: ai.ai_uuid, memory_type: 'working_memory', memory_data: 'once' };
    const first = await post('/create_memory', body, ai.api_key, { 'Idempotency-Key': key });
    const again = await post('/create_memory', body, ai.api_key, { 'Idempotency-Key': key });
    expectStatus(first, 200);
    expectStatus(again, 200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await memoriesIn(ai.ai_uuid, 'working_memory')).toBe(1);
    expect((await eventLog(ai.ai_uuid)).length).toBe(1);
  });

  it('keeps concurrent duplicates to one write', async () => {
    const ai = await newAi('Racer');
    const key = randomUUID();
    const body = { ai_name: 'Racer', ai_uuid: ai.ai_uuid, memory_type: 'archive', memory_data: 'racing' };
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => post('/create_memory', body, ai.api_key, { 'Idempotency-Key': key })),
    );
    for (const r of replies) expectStatus(r, 200);
    expect(new Set(replies.map((r) => r.body.memory_id)).size).toBe(1);
    expect(await memoriesIn(ai.ai_uuid, 'archive')).toBe(1);
  });

  it('replays a move instead of failing it the second time', async () => {
    const ai = await newAi('Mover');
    const created = await createMemory(ai, 'working_memory', 'm');
    const move = {
      ai_name: 'Mover',
      ai_uuid: ai.ai_uuid,
      from_memory_type: 'working_memory',
      to_memory_type: 'archive',
      document_id: created.memory_id,
    };
    const key = randomUUID();
    const first = await post('/move_memory', move, ai.api_key, { 'Idempotency-Key': key });
    const again = await post('/move_memory', move, ai.api_key, { 'Idempotency-Key': key });
    expectStatus(again, 200);
    expect(again.body).toEqual(first.body);
    expect((await eventLog(ai.ai_uuid)).map((e) => e.type)).toEqual(['created', 'moved']);
  });

  it('replays a handshake with the same key, and creates one AI', async () => {
    const admin = await adminIdToken();
    const key = randomUUID();
    const name = `idem-${key}`;
    const first = await post('/v1/handshake', { ai_name: name }, admin, { 'Idempotency-Key': key });
    const again = await post('/v1/handshake', { ai_name: name }, admin, { 'Idempotency-Key': key });
    expectStatus(first, 201);
    expectStatus(again, 201);
    expect(again.body).toEqual(first.body);
    expect((await db.collection(AI_REGISTRY).where('name', '==', name).get()).size).toBe(1);
    // The stored replay holds the key encrypted: its secret is not in the database in clear.
    const records = await db.collection(IDEMPOTENCY).get();
    const secret = String(first.body.api_key).split('.')[1] as string;
    expect(records.docs.some((d) => JSON.stringify(d.data()).includes(secret))).toBe(false);
  });

  it('refuses the same key for a different request with 409, changing nothing', async () => {
    const ai = await newAi('Reuser');
    const key = randomUUID();
    const base = { ai_name: 'Reuser', ai_uuid: ai.ai_uuid, memory_type: 'archive' };
    expectStatus(
      await post('/create_memory', { ...base, memory_data: 'one' }, ai.api_key, { 'Idempotency-Key': key }),
      200,
    );
    expectError(
      await post('/create_memory', { ...base, memory_data: 'two' }, ai.api_key, { 'Idempotency-Key': key }),
      409,
      'idempotency_key_reused',
    );
    expect(await memoriesIn(ai.ai_uuid, 'archive')).toBe(1);
  });

  it('scopes keys to the caller: another AI using the same key is not replayed', async () => {
    const [a, b] = [await newAi('Scope A'), await newAi('Scope B')];
    const key = randomUUID();
    const ra = await post(
      '/create_memory',
      { ai_name: 'Scope A', ai_uuid: a.ai_uuid, memory_type: 'archive', memory_data: 'a' },
      a.api_key,
      { 'Idempotency-Key': key },
    );
    const rb = await post(
      '/create_memory',
      { ai_name: 'Scope B', ai_uuid: b.ai_uuid, memory_type: 'archive', memory_data: 'a' },
      b.api_key,
      { 'Idempotency-Key': key },
    );
    expectStatus(rb, 200);
    expect(rb.headers.get('idempotent-replayed')).toBeNull();
    expect(rb.body.memory_id).not.toBe(ra.body.memory_id);
  });

  it('rejects a malformed key', async () => {
    const ai = await newAi('Malformed');
    const reply = await call('POST', `/v1/ais/${ai.ai_uuid}/memories/archive`, {
      token: ai.api_key,
      body: { content: 'x' },
      headers: { 'Idempotency-Key': 'x'.repeat(300) },
    });
    expectError(reply, 400, 'invalid_argument');
  });
});
