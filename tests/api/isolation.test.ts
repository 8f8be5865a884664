/** AI A's key against every endpoint for AI B: always 404 (or 403 for admin-only ones), never B's data. */
import { beforeAll, describe, expect, it } from 'vitest';
import { aiRef, memoryRef } from '@memory-weaver/core';
import { db } from '../support/emulators.js';
import { openedData } from '../support/opened.js';
import { eventLog } from '../support/events.js';
import { call, newAi, post, type AiSession, type Reply } from '../support/http.js';
import { createMemory } from '../support/memories.js';

let a: AiSession;
let b: AiSession;
let bMemory: string;
const CANARY = 'canary-b-7f3e91';

beforeAll(async () => {
  [a, b] = [await newAi('Alice'), await newAi('Bob')];
  bMemory = (await createMemory(b, 'long_term_memory', CANARY)).memory_id;
});

describe("AI A's key on AI B", () => {
  const cases: [string, () => Promise<Reply>][] = [
    ['handshake naming B', () => post('/v1/handshake', { ai_name: 'Bob' }, a.api_key)],
    [
      'create_memory',
      () =>
        post(
          '/create_memory',
          { ai_name: 'Bob', ai_uuid: b.ai_uuid, memory_type: 'archive', memory_data: 'x' },
          a.api_key,
        ),
    ],
    [
      'edit_memory',
      () =>
        post(
          '/edit_memory',
          { ai_name: 'Bob', ai_uuid: b.ai_uuid, memory_type: 'long_term_memory', memory_id: bMemory, memory_data: 'x' },
          a.api_key,
        ),
    ],
    [
      'delete_memory',
      () =>
        post(
          '/delete_memory',
          { ai_name: 'Bob', ai_uuid: b.ai_uuid, memory_type: 'long_term_memory', memory_id: bMemory },
          a.api_key,
        ),
    ],
    [
      'move_memory',
      () =>
        post(
          '/move_memory',
          {
            ai_name: 'Bob',
            ai_uuid: b.ai_uuid,
            from_memory_type: 'long_term_memory',
            to_memory_type: 'archive',
            document_id: bMemory,
          },
          a.api_key,
        ),
    ],
    [
      'retrieve_memories',
      () =>
        post('/retrieve_memories', { ai_name: 'Bob', ai_uuid: b.ai_uuid, memory_type: 'long_term_memory' }, a.api_key),
    ],
    ['get AI', () => call('GET', `/v1/ais/${b.ai_uuid}`, { token: a.api_key })],
    ['rename AI', () => call('PATCH', `/v1/ais/${b.ai_uuid}`, { token: a.api_key, body: { ai_name: 'Mallory' } })],
    ['delete AI', () => call('DELETE', `/v1/ais/${b.ai_uuid}`, { token: a.api_key })],
    ['rotate key', () => call('POST', `/v1/ais/${b.ai_uuid}/api-key`, { token: a.api_key })],
    ['revoke key', () => call('DELETE', `/v1/ais/${b.ai_uuid}/api-key`, { token: a.api_key })],
    ['list events', () => call('GET', `/v1/ais/${b.ai_uuid}/events`, { token: a.api_key })],
    ['list memories', () => call('GET', `/v1/ais/${b.ai_uuid}/memories/long_term_memory`, { token: a.api_key })],
    [
      'get memory',
      () => call('GET', `/v1/ais/${b.ai_uuid}/memories/long_term_memory/${bMemory}`, { token: a.api_key }),
    ],
    [
      'create memory',
      () => call('POST', `/v1/ais/${b.ai_uuid}/memories/archive`, { token: a.api_key, body: { content: 'x' } }),
    ],
    [
      'edit memory',
      () =>
        call('PATCH', `/v1/ais/${b.ai_uuid}/memories/long_term_memory/${bMemory}`, {
          token: a.api_key,
          body: { content: 'x' },
        }),
    ],
    [
      'delete memory',
      () => call('DELETE', `/v1/ais/${b.ai_uuid}/memories/long_term_memory/${bMemory}`, { token: a.api_key }),
    ],
    [
      'move memory',
      () =>
        call('POST', `/v1/ais/${b.ai_uuid}/memories/long_term_memory/${bMemory}/move`, {
          token: a.api_key,
          body: { to_memory_type: 'archive' },
        }),
    ],
  ];

  it.each(cases)('%s is refused and reveals nothing', async (_label, run) => {
    const eventsBefore = (await eventLog(b.ai_uuid)).length;
    const reply = await run();
    expect([400, 403, 404]).toContain(reply.status);
    expect(reply.text).not.toContain(CANARY);
    expect(reply.text).not.toContain('Bob');
    const stored = await openedData(memoryRef(db, b.ai_uuid, 'long_term_memory', bMemory));
    expect(stored?.content).toBe(CANARY);
    expect((await aiRef(db, b.ai_uuid).get()).get('name')).toBe('Bob');
    expect((await eventLog(b.ai_uuid)).length).toBe(eventsBefore);
  });

  it('gets the same answer for B as for an AI that does not exist', async () => {
    const forB = await call('GET', `/v1/ais/${b.ai_uuid}`, { token: a.api_key });
    const forNobody = await call('GET', '/v1/ais/00000000-0000-4000-8000-000000000000', { token: a.api_key });
    expect(forB.status).toBe(404);
    // Every error names its own request; everything else must be the same.
    const { request_id: _b, ...sameForB } = forB.body.error;
    const { request_id: _n, ...sameForNobody } = forNobody.body.error;
    expect(sameForB).toEqual(sameForNobody);
  });

  it("still works on A's own data", async () => {
    const r = await post(
      '/create_memory',
      { ai_name: 'Alice', ai_uuid: a.ai_uuid, memory_type: 'archive', memory_data: 'mine' },
      a.api_key,
    );
    expect(r.status).toBe(200);
  });
});
