/**
 * Provenance as each caller may see it: an administrator sees who acted; an AI's key sees that an
 * administrator acted, never the administrator's uid (an operator's account identifier).
 */
import { describe, expect, it } from 'vitest';
import { adminIdToken } from '../support/emulators.js';
import { call, expectStatus, newAi } from '../support/http.js';
import { collect, connect, connected, request, startRelay, until } from '../support/relay.js';

const REDACTED = { kind: 'admin', id: 'redacted' };

describe('provenance shown to an AI key', () => {
  it("hides the administrator's uid in every memory answer, and the administrator still sees it", async () => {
    const ai = await newAi('Provenance');
    const admin = await adminIdToken();
    const base = `/v1/ais/${ai.ai_uuid}/memories/long_term_memory`;
    const made = await call('POST', base, { token: admin, body: { content: 'written by an administrator' } });
    expectStatus(made, 201);
    const id = made.body.memory_id as string;
    expect(made.body.memory.created_by.kind).toBe('admin');
    expect(made.body.memory.created_by.id).not.toBe('redacted');

    const one = await call('GET', `${base}/${id}`, { token: ai.api_key });
    expectStatus(one, 200);
    expect(one.body.created_by).toEqual(REDACTED);
    const list = await call('GET', base, { token: ai.api_key });
    expect(list.body.memories[0].created_by).toEqual(REDACTED);
    const retrieved = await call('POST', '/retrieve_memories', {
      token: ai.api_key,
      body: { ai_name: ai.ai_name, ai_uuid: ai.ai_uuid, memory_type: 'long_term_memory' },
    });
    expect(retrieved.body.memories[0].created_by).toEqual(REDACTED);
    const edited = await call('PATCH', `${base}/${id}`, { token: ai.api_key, body: { content: 'edited by the AI' } });
    expectStatus(edited, 200);
    expect(edited.body.memory.created_by).toEqual(REDACTED);
    expect(edited.body.memory.updated_by.kind).toBe('ai_key');

    const asAdmin = await call('GET', `${base}/${id}`, { token: admin });
    expect(asAdmin.body.created_by).toEqual(made.body.memory.created_by);
  });

  it("hides the administrator's uid in the event log and in memory_update, and shows it to an administrator", async () => {
    const ai = await newAi('Provenance events');
    const admin = await adminIdToken();
    const relay = await startRelay();
    try {
      const asKey = connect(relay.url, { api_key: ai.api_key });
      const asAdmin = connect(relay.url, { token: admin });
      await Promise.all([connected(asKey), connected(asAdmin)]);
      const keyGot = collect(asKey);
      const adminGot = collect(asAdmin);
      await request(asKey, 'join', { ai_uuid: ai.ai_uuid });
      await request(asAdmin, 'join', { ai_uuid: ai.ai_uuid });
      const made = await call('POST', `/v1/ais/${ai.ai_uuid}/memories/archive`, {
        token: admin,
        body: { content: 'an administrator was here' },
      });
      expectStatus(made, 201);
      await until(() => keyGot.length > 0 && adminGot.length > 0, 'the update on both sockets');
      expect(keyGot[0]?.actor).toEqual(REDACTED);
      expect(keyGot[0]?.memory?.created_by).toEqual(REDACTED);
      expect(adminGot[0]?.actor).toEqual(made.body.memory.created_by);
      asKey.close();
      asAdmin.close();
    } finally {
      await relay.stop();
    }
    const events = await call('GET', `/v1/ais/${ai.ai_uuid}/events`, { token: ai.api_key });
    expect(events.body.events[0].actor).toEqual(REDACTED);
    const adminEvents = await call('GET', `/v1/ais/${ai.ai_uuid}/events`, { token: admin });
    expect(adminEvents.body.events[0].actor.id).not.toBe('redacted');
  });
});
