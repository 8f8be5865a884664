import { describe, expect, it } from 'vitest';
import { HeartbeatSchema, JoinSchema, type Ack } from '@memory-weaver/protocol';
import { dispatch, route, type DispatchDeps, type Routes } from '../../../relay/src/ack.js';
import type { RelaySocket } from '../../../relay/src/socketTypes.js';

const refused: string[] = [];
const answer = () => Promise.resolve({ answered: true });
const routes = {
  authenticate: route(HeartbeatSchema, false, answer),
  join: route(JoinSchema, true, answer),
  leave: route(HeartbeatSchema, true, answer),
  heartbeat: route(HeartbeatSchema, false, answer),
  message: route(HeartbeatSchema, true, answer),
} satisfies Routes;
const deps: DispatchDeps = {
  routes,
  rate: { capacity: 2, refillPerSecond: 0.001 },
  log: () => undefined,
  metrics: { refused: (event, code) => refused.push(`${event} ${code}`) },
};

/** A socket as the dispatcher sees it: only its data. */
const bareSocket = () =>
  ({
    data: { principal: undefined, credential: undefined, expiry: undefined, limiter: undefined, present: undefined },
  }) as unknown as RelaySocket;

/** Dispatches and returns the acknowledgement, if any. */
async function ackOf(socket: RelaySocket, event: string, ...args: unknown[]): Promise<Ack | undefined> {
  let got: Ack | undefined;
  const withAck = args.map((a) => (a === ACK ? (res: Ack) => (got = res) : a));
  await dispatch(deps, socket, event, withAck[0], withAck[1]);
  return got;
}
const ACK = Symbol('the ack callback');

describe('dispatching a client event', () => {
  it('acknowledges an event emitted with only an ack callback, as one with no payload', async () => {
    expect(await ackOf(bareSocket(), 'heartbeat', ACK)).toEqual({ ok: true, answered: true });
  });

  it('acknowledges an event with a payload and an ack callback', async () => {
    expect(await ackOf(bareSocket(), 'heartbeat', {}, ACK)).toEqual({ ok: true, answered: true });
  });

  it('refuses an invalid payload with invalid_argument naming the field', async () => {
    expect(await ackOf(bareSocket(), 'join', { ai_uuid: 'nope' }, ACK)).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', message: expect.stringMatching(/^invalid join: ai_uuid: /) as unknown },
    });
  });

  it('refuses an event that needs a caller from a socket that has not authenticated', async () => {
    expect(await ackOf(bareSocket(), 'leave', {}, ACK)).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
  });

  it('refuses events beyond the rate limit with rate_limited, and counts each refusal', async () => {
    refused.length = 0;
    const socket = bareSocket();
    await ackOf(socket, 'heartbeat', {}, ACK);
    await ackOf(socket, 'heartbeat', {}, ACK);
    expect(await ackOf(socket, 'heartbeat', {}, ACK)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(refused).toEqual(['heartbeat rate_limited']);
  });

  it('ignores an event no route names, as Socket.IO does one nobody listens to', async () => {
    const socket = bareSocket();
    expect(await ackOf(socket, 'subscribe', {}, ACK)).toBeUndefined();
    // It took no token of the socket's bucket either.
    expect(socket.data.limiter).toBeUndefined();
  });
});
