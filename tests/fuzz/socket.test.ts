/**
 * Property-based fuzzing of the relay: a real relay process (`relay/dist`) and the real
 * `socket.io-client`. Connections with arbitrary `auth`, then sequences of client events — the
 * five of the protocol, valid or mutated, and unknown ones — with and without acknowledgements.
 * Properties: every acknowledgement is `{ ok: true, … }` or `{ ok: false, error: { code, message } }`
 * with a known code other than `internal` and nothing internal in it; a refused connection says
 * why the same way; the relay drops a socket only for a frame over its 64 KiB limit; unknown
 * events and missing acks leave the socket answering; the relay logs no unexpected error, changes
 * no stored memory, lets every socket and seat go, and still answers /healthz at the end.
 */
import { readFileSync, statSync } from 'node:fs';
import fc from 'fast-check';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS, MEMORY_TYPES, SOCKET_LIMITS, type MemoryType } from '@memory-weaver/protocol';
import { localAppDeps, startApp } from '../support/app.js';
import { eventLog } from '../support/events.js';
import { createMemory, storedState } from '../support/memories.js';
import { startRelay, type ClientSocket, type RelayProcess } from '../support/relay.js';
import { baseWorld, makeAi } from './harness.js';
import { LEAK } from './oracle.js';
import {
  BYSTANDER_UUID,
  REMOVE,
  SUBJECT_UUID,
  Deep,
  anyValue,
  materialize,
  nodePaths,
  sym,
  toJson,
  withNode,
  type Token,
  type World,
} from './requests.js';
import { awkwardText } from './strings.js';

const SEED = Number(process.env.MW_FUZZ_SEED ?? 20_261_122);
/**
 * Values for payloads. Socket.IO's client encodes a payload recursively, so it can't send the HTTP
 * fuzzer's deepest values (those are written as text) and overflows its own stack at a few
 * thousand levels; up to 100 is still far past Firestore's 20 and the protocol's 10.
 */
const payloadValue = anyValue.filter((v) => !(v instanceof Deep && v.depth > 1_000));
const CONNECT_RUNS = 120;
const SEQUENCE_RUNS = 400;
/** How long an acknowledgement may take (a join reads Firestore; nothing here takes a second). */
const ACK_MS = 3_000;

type Credential = Exclude<Token, { literal: string }>;
const credential = (token: Credential) => sym({ kind: 'credential', token });

let relay: RelayProcess & { port: number };
let world: World;
let logStart = 0;
/** The subject's stored state before the fuzz: sockets never change memories. */
let storedBefore: Awaited<ReturnType<typeof storedState>>;
const started = Date.now();
const tally = {
  connects: 0,
  refusedConnects: 0,
  sequences: 0,
  events: 0,
  acks: 0,
  okAcks: 0,
  errorCodes: new Map<string, number>(),
  unacked: 0,
  unknownEvents: 0,
  oversized: 0,
  /** Events emitted with an ack callback and no payload (`emitWithAck('heartbeat')`). */
  ackOnly: 0,
};
const count = (code: string) => tally.errorCodes.set(code, (tally.errorCodes.get(code) ?? 0) + 1);
const relayLog = () => `artifacts/logs/relay-${relay.port}.log`;

beforeAll(async () => {
  const app = await startApp(localAppDeps());
  try {
    const base = await baseWorld(app.url);
    const subject = await makeAi(app.url, 'fuzz socket subject');
    const client = { ai_uuid: subject.uuid, ai_name: subject.name, api_key: subject.key };
    for (const tier of ['working_memory', 'archive'] as const) {
      await createMemory(client, tier, `seed of ${tier}`, { baseUrl: app.url });
    }
    const events = (await eventLog(subject.uuid)).map((e) => e.id);
    const memories = Object.fromEntries(MEMORY_TYPES.map((t) => [t, []])) as unknown as Record<MemoryType, string[]>;
    world = { ...base, subject, ids: { memories, sessions: [], events } };
  } finally {
    await app.close();
  }
  storedBefore = await storedState(world.subject.uuid);
  relay = await startRelay();
  logStart = statSync(relayLog()).size;
});

afterAll(async () => {
  await relay.stop();
  const codes = [...tally.errorCodes].map(([c, n]) => `${c}×${n}`).join(' ');
  console.log(
    `fuzz socket: ${tally.connects + tally.sequences} cases (${tally.connects} connects, ${tally.refusedConnects} refused; ` +
      `${tally.sequences} event sequences: ${tally.events} events, ${tally.unknownEvents} unknown, ${tally.unacked} without ack, ` +
      `${tally.oversized} over the frame limit; ${tally.acks} acks, ${tally.okAcks} ok, errors ${codes}; ` +
      `${tally.ackOnly} with an ack and no payload), ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s, seed ${SEED}`,
  );
});

/** An acknowledgement must be one of the protocol's two shapes, with a code other than `internal`. */
function checkAck(ack: unknown, sentText: string): void {
  if (typeof ack !== 'object' || ack === null) throw new Error(`an ack must be an object: ${JSON.stringify(ack)}`);
  const a = ack as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (!LEAK.test(sentText) && LEAK.test(JSON.stringify(ack)))
    throw new Error(`an ack shows something internal: ${JSON.stringify(ack)}`);
  if (a.ok === true) {
    tally.okAcks += 1;
    return;
  }
  if (a.ok !== false || typeof a.error !== 'object')
    throw new Error(`an ack is { ok: true } or { ok: false, error }: ${JSON.stringify(ack)}`);
  const { code, message } = a.error;
  if (typeof code !== 'string' || !Object.hasOwn(ERROR_STATUS, code))
    throw new Error(`unknown error code: ${JSON.stringify(ack)}`);
  if (code === 'internal') throw new Error(`an ack's error is never internal: ${JSON.stringify(ack)}`);
  if (typeof message !== 'string') throw new Error(`an ack's error has a message: ${JSON.stringify(ack)}`);
  count(code);
}

/** Connects with `auth` as it is; resolves once connected or refused (never leaves a socket open on failure). */
async function open(auth: unknown): Promise<{ socket: ClientSocket; refusal: unknown }> {
  const socket = io(relay.url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 5_000,
    ...(auth === undefined ? {} : { auth: auth as Record<string, unknown> }),
  }) as ClientSocket;
  const refusal = await new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('neither connected nor refused within 6 s')), 6_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(null);
    });
    socket.once('connect_error', (err: Error & { data?: unknown }) => {
      clearTimeout(timer);
      resolve(err.data ?? { noData: err.message });
    });
    // A handshake over the frame limit: the relay closes the connection without a word. ("forced
    // close" is the client's own, on its way to emitting connect_error.)
    socket.io.on('close', (reason: string) => {
      if (reason === 'forced close') return;
      clearTimeout(timer);
      resolve({ closed: reason });
    });
  }).catch((err: unknown) => {
    socket.close();
    throw err;
  });
  return { socket, refusal };
}

/** Emits with an ack, racing the ack against the socket's disconnect and a deadline. */
function emitWithAck(
  socket: ClientSocket,
  event: string,
  args: unknown[],
): Promise<{ ack: unknown } | { dropped: string } | { timeout: true }> {
  const untyped = socket as unknown as { emit(e: string, ...a: unknown[]): void };
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off('disconnect', onDrop);
      resolve({ timeout: true });
    }, ACK_MS);
    const onDrop = (reason: string) => {
      clearTimeout(timer);
      resolve({ dropped: reason });
    };
    socket.once('disconnect', onDrop);
    untyped.emit(event, ...args, (ack: unknown) => {
      clearTimeout(timer);
      socket.off('disconnect', onDrop);
      resolve({ ack });
    });
  });
}

const someUuid = fc.oneof(
  fc.constant<unknown>(SUBJECT_UUID),
  fc.constant<unknown>(BYSTANDER_UUID),
  fc.uuid().map((u): unknown => u),
);
const since = fc.oneof(
  fc.nat(10).map((i): unknown => sym({ kind: 'event', i })),
  fc.constantFrom<unknown>('000000000000', '999999999999', '000000000001'),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/).map((s): unknown => s),
);

/** Valid payloads of the protocol's five client events (packages/protocol/src/socket.ts). */
const validEvent: fc.Arbitrary<{ event: string; payload: unknown }> = fc.oneof(
  fc.constantFrom<Credential>('subject_key', 'admin', 'bystander_key').map((t) => ({
    event: 'authenticate',
    payload: t === 'admin' ? { token: credential(t) } : { api_key: credential(t) },
  })),
  fc.record({ ai_uuid: someUuid, since }, { requiredKeys: ['ai_uuid'] }).map((payload) => ({ event: 'join', payload })),
  someUuid.map((ai_uuid) => ({ event: 'leave', payload: { ai_uuid } })),
  fc.constantFrom<unknown>({}, undefined).map((payload) => ({ event: 'heartbeat', payload })),
  fc
    .record({ ai_uuid: someUuid, extra: fc.dictionary(awkwardText(1, 10), payloadValue, { maxKeys: 3 }) })
    .map(({ ai_uuid, extra }) => ({ event: 'message', payload: { ...extra, ai_uuid } })),
);

const KNOWN_EVENTS = ['authenticate', 'join', 'leave', 'heartbeat', 'message'];
const RESERVED_EVENTS = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];

/** Event names no handler has (Socket.IO's reserved names can't be emitted by a client). */
const unknownEvent = fc
  .oneof(
    fc.constantFrom(
      'memory_update',
      'room_closed',
      'JOIN',
      'join ',
      'message\u0000',
      '__proto__',
      'constructor',
      'toString',
      'error',
      'ping',
    ),
    awkwardText(0, 20),
  )
  .filter((e) => !RESERVED_EVENTS.includes(e) && !KNOWN_EVENTS.includes(e));

type PayloadMutation =
  | { op: 'drop'; at: number }
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'add'; key: string; value: unknown }
  | { op: 'whole'; value: unknown };

const payloadMutation: fc.Arbitrary<PayloadMutation> = fc.oneof(
  fc.nat().map((at): PayloadMutation => ({ op: 'drop', at })),
  fc.record({ at: fc.nat(), value: payloadValue }).map((m): PayloadMutation => ({ op: 'replace', ...m })),
  fc.record({ key: awkwardText(0, 10), value: payloadValue }).map((m): PayloadMutation => ({ op: 'add', ...m })),
  fc
    .oneof(payloadValue, fc.uint8Array({ maxLength: 64 }), fc.constant(undefined))
    .map((value): PayloadMutation => ({ op: 'whole', value })),
);

function mutate(payload: unknown, m: PayloadMutation): unknown {
  if (m.op === 'whole') return m.value;
  if (m.op === 'add') {
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload)
      ? { ...payload, [m.key]: m.value }
      : payload;
  }
  const paths = nodePaths(payload);
  if (paths.length === 0) return payload;
  const at = paths[m.at % paths.length] as (string | number)[];
  return withNode(payload, at, m.op === 'drop' ? REMOVE : m.value);
}

interface Step {
  event: string;
  payload: unknown;
  mutations: PayloadMutation[];
  /** Without an ack callback: the relay must still cope, and the socket must still answer. */
  ack: boolean;
}

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .record({
        e: validEvent,
        mutations: fc.array(payloadMutation, { maxLength: 2 }),
        ack: fc.constantFrom(true, true, true, false),
      })
      .map(({ e, mutations, ack }) => ({ ...e, mutations, ack })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ event: unknownEvent, payload: payloadValue, ack: fc.boolean() })
      .map((s) => ({ ...s, mutations: [] })),
  },
);

const role = fc.constantFrom<Credential | 'bare'>('subject_key', 'admin', 'bystander_key', 'bare');

function authFor(r: Credential | 'bare'): unknown {
  if (r === 'bare') return undefined;
  return r === 'admin' ? { token: world.adminToken } : { api_key: materialize(world, credential(r)) };
}

describe('the relay under fuzzed connections and events', () => {
  it('answers any connection auth with a connection or a refusal that says why, never internal', async () => {
    const authValue = fc.oneof(
      fc.constantFrom<unknown>(
        credential('subject_key'),
        credential('admin'),
        credential('revoked_key'),
        credential('user'),
        credential('wrong_secret'),
      ),
      payloadValue,
    );
    const auth = fc.oneof(
      fc.record({ api_key: authValue }),
      fc.record({ token: authValue }),
      fc.record({ api_key: authValue, token: authValue }),
      fc.dictionary(fc.oneof(fc.constantFrom('api_key', 'token'), awkwardText(0, 8)), authValue, { maxKeys: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(auth, async (template) => {
        const sent = materialize(world, template);
        const sentText = toJson(world, template) ?? '';
        tally.connects += 1;
        const { socket, refusal } = await open(sent);
        try {
          if (refusal !== null && typeof refusal === 'object' && 'closed' in refusal) {
            // Only a handshake over the frame limit may go unanswered.
            expect(Buffer.byteLength(sentText), `closed without a refusal: ${JSON.stringify(refusal)}`).toBeGreaterThan(
              SOCKET_LIMITS.maxFrameBytes - 256,
            );
            tally.oversized += 1;
            return;
          }
          if (refusal) {
            tally.refusedConnects += 1;
            const data = refusal as { code?: unknown; message?: unknown };
            expect(data, `a refused connection carries { code, message }: ${JSON.stringify(refusal)}`).toMatchObject({
              code: expect.any(String),
              message: expect.any(String),
            });
            expect(Object.hasOwn(ERROR_STATUS, String(data.code)), `known code: ${String(data.code)}`).toBe(true);
            expect(data.code, 'a refusal is never internal').not.toBe('internal');
            if (!LEAK.test(sentText)) expect(JSON.stringify(refusal)).not.toMatch(LEAK);
            count(String(data.code));
            return;
          }
          const res = await emitWithAck(socket, 'heartbeat', [{}]);
          if (!('ack' in res)) throw new Error(`a connected socket answers a heartbeat: ${JSON.stringify(res)}`);
          checkAck(res.ack, sentText);
        } finally {
          socket.close();
        }
      }),
      { seed: SEED, numRuns: CONNECT_RUNS },
    );
  }, 120_000);

  it('acknowledges every event in the protocol’s shape, never internal, and keeps the socket answering', async () => {
    await fc.assert(
      fc.asyncProperty(role, fc.array(step, { minLength: 1, maxLength: 6 }), async (r, steps) => {
        tally.sequences += 1;
        const lateAcks: [unknown, string][] = [];
        const { socket, refusal } = await open(authFor(r));
        try {
          if (refusal) throw new Error(`a valid credential connects: ${JSON.stringify(refusal)}`);
          let oversized = false;
          for (const s of steps) {
            if (!socket.connected) break;
            const template = s.mutations.reduce(mutate, s.payload);
            const sentText = `${s.event} ${toJson(world, template) ?? ''}`;
            // Socket.IO's frame limit: the relay closes the connection rather than answer.
            const frameTooBig = Buffer.byteLength(sentText) > SOCKET_LIMITS.maxFrameBytes - 64;
            oversized ||= frameTooBig;
            if (frameTooBig) tally.oversized += 1;
            const payload = template === undefined ? undefined : materialize(world, template);
            const args = template === undefined ? [] : [payload];
            tally.events += 1;
            const emit = (socket as unknown as { emit(e: string, ...a: unknown[]): void }).emit.bind(socket);
            if (!KNOWN_EVENTS.includes(s.event)) {
              // No handler, so no acknowledgement: it is not waited for (the heartbeat at the end
              // shows the socket still answers), but one that does come must be well formed.
              tally.unknownEvents += 1;
              emit(s.event, ...args, ...(s.ack ? [(ack: unknown) => lateAcks.push([ack, sentText])] : []));
              continue;
            }
            if (!s.ack) {
              tally.unacked += 1;
              emit(s.event, ...args);
              continue;
            }
            if (args.length === 0) tally.ackOnly += 1;
            const res = await emitWithAck(socket, s.event, args);
            if ('ack' in res) {
              tally.acks += 1;
              checkAck(res.ack, sentText);
            } else if ('dropped' in res) {
              if (!oversized)
                throw new Error(`the relay dropped the socket (${res.dropped}) after ${sentText.slice(0, 300)}`);
            } else {
              throw new Error(`no acknowledgement within ${ACK_MS} ms for ${sentText.slice(0, 300)}`);
            }
          }
          for (const [ack, sentText] of lateAcks.splice(0)) checkAck(ack, sentText);
          if (!socket.connected) {
            if (!oversized) throw new Error('the relay dropped a socket that sent nothing over the frame limit');
            return;
          }
          const res = await emitWithAck(socket, 'heartbeat', [{}]);
          // An oversized frame may still be on its way to the relay, which then closes the connection.
          if ('dropped' in res && oversized) return;
          if (!('ack' in res)) throw new Error(`the socket still answers after the sequence: ${JSON.stringify(res)}`);
          checkAck(res.ack, 'heartbeat');
          expect(res.ack).toMatchObject({ ok: true, server_time: expect.any(String) });
        } finally {
          socket.close();
        }
      }),
      { seed: SEED + 1, numRuns: SEQUENCE_RUNS },
    );
  }, 90_000);

  it('is still healthy afterwards: no socket or seat left, no unexpected error logged, no memory changed', async () => {
    let health: { status?: string; sockets?: number; seats?: number } = {};
    const deadline = Date.now() + 10_000;
    for (;;) {
      health = (await (await fetch(`${relay.url}/healthz`)).json()) as typeof health;
      if ((health.sockets === 0 && health.seats === 0) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(health).toMatchObject({ status: 'ok', sockets: 0, seats: 0 });
    const logged = readFileSync(relayLog()).subarray(logStart).toString('utf8');
    const unexpected = logged.split('\n').filter((line) => line.includes('unexpected relay error'));
    expect(unexpected, 'the relay logged unexpected errors').toEqual([]);
    expect(await storedState(world.subject.uuid)).toEqual(storedBefore);
  });
});
