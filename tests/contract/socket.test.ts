/**
 * The relay's side of the contract: every acknowledgement and every event a client receives,
 * refusals included, checked against the protocol's schemas (`AckSchemas`, `ServerEventSchemas`,
 * `SocketErrorSchema` in packages/protocol/src/socket.ts), with a real relay process and
 * socket.io-client.
 */
import { describe, expect, it } from 'vitest';
import {
  AckSchemas,
  ServerEventSchemas,
  SocketErrorSchema,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@memory-weaver/protocol';
import { adminIdToken } from '../support/emulators.js';
import { call, expectStatus, newAi } from '../support/http.js';
import { connectError, connected, request, until, type ClientSocket } from '../support/relay.js';
import { relaySession } from '../support/relaySession.js';

const relay = relaySession();
const open = (auth?: Record<string, string>) => relay.open(auth);

/** Sends an event and returns its acknowledgement once it has passed that event's ack schema. */
async function checkedRequest<E extends keyof ClientToServerEvents & keyof typeof AckSchemas>(
  s: ClientSocket,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
) {
  const ack = await request(s, event, payload);
  return AckSchemas[event].parse(ack);
}

/** Every event the socket receives, each parsed by its schema (a mismatch is recorded, not lost). */
function received(s: ClientSocket) {
  const events: { event: keyof ServerToClientEvents; ok: boolean; issues: string }[] = [];
  for (const event of Object.keys(ServerEventSchemas) as (keyof typeof ServerEventSchemas)[]) {
    (s as unknown as { on(e: string, f: (p: unknown) => void): void }).on(event, (payload) => {
      const result = ServerEventSchemas[event].safeParse(payload);
      events.push({ event, ok: result.success, issues: result.success ? '' : JSON.stringify(result.error.issues) });
    });
  }
  return events;
}

describe('the relay answers in the protocol’s shapes', () => {
  it('acknowledges authenticate, join, heartbeat, message and leave, and pushes events, each in its schema', async () => {
    const ai = await newAi('contract-socket');
    const bare = open();
    await connected(bare);
    expect(await checkedRequest(bare, 'authenticate', { api_key: ai.api_key })).toMatchObject({ ok: true, role: 'ai' });
    const other = open({ api_key: ai.api_key });
    await connected(other);
    const got = received(other);
    for (const s of [bare, other]) {
      expect(await checkedRequest(s, 'join', { ai_uuid: ai.ai_uuid, since: '000000000000' })).toMatchObject({
        ok: true,
      });
    }
    expect(await checkedRequest(bare, 'heartbeat', {})).toMatchObject({ ok: true });
    expect(await checkedRequest(bare, 'message', { ai_uuid: ai.ai_uuid, text: 'hello' })).toMatchObject({ ok: true });
    const write = await call('POST', `/v1/ais/${ai.ai_uuid}/memories/working_memory`, {
      token: ai.api_key,
      body: { content: 'pushed to the room' },
    });
    expectStatus(write, 201);
    await until(() => got.some((e) => e.event === 'memory_update') && got.some((e) => e.event === 'message'), 'events');
    expect(await checkedRequest(bare, 'leave', { ai_uuid: ai.ai_uuid })).toMatchObject({ ok: true });

    expectStatus(await call('DELETE', `/v1/ais/${ai.ai_uuid}`, { token: await adminIdToken() }), 200);
    await until(() => got.some((e) => e.event === 'room_closed'), 'room_closed');
    expect(got.filter((e) => !e.ok)).toEqual([]);
  });

  it('refuses in the protocol’s shapes: an error acknowledgement and a connect_error', async () => {
    const ai = await newAi('contract-socket-refusals');
    const s = open({ api_key: ai.api_key });
    await connected(s);
    const refused = await checkedRequest(s, 'join', { ai_uuid: '00000000-0000-4000-8000-000000000000' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const invalid = await checkedRequest(s, 'join', { ai_uuid: 'not-a-uuid' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });

    const err = await connectError(open({ api_key: 'mwk_nope.nope' }));
    expect(SocketErrorSchema.parse(err?.data)).toMatchObject({ code: 'unauthenticated' });
  });
});
