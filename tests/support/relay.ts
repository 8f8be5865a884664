/** @module tests/support/relay — real relay processes (relay/dist) and socket.io-client helpers. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, MemoryUpdate, ServerToClientEvents, SocketError } from '@memory-weaver/protocol';
import { AUTH_HOST, FIRESTORE_HOST, PROJECT_ID } from './emulators.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface RelayProcess {
  url: string;
  pid: number;
  /** SIGKILL: the process dies at once, as in a crash. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function relayLog(port: number): number {
  mkdirSync('artifacts/logs', { recursive: true });
  return openSync(`artifacts/logs/relay-${port}.log`, 'a');
}

/**
 * Starts `relay/dist/index.js`; pass `port` to restart a relay at the same address, and
 * `nodeFlags` to run it with V8 flags (the bench runs it as deployed; V8 takes only some flags
 * from NODE_OPTIONS).
 */
export async function startRelay(
  env: Record<string, string> = {},
  port?: number,
  nodeFlags: string[] = [],
): Promise<RelayProcess & { port: number }> {
  port ??= await freePort();
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags, 'relay/dist/index.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      GCLOUD_PROJECT: PROJECT_ID,
      FIRESTORE_EMULATOR_HOST: FIRESTORE_HOST,
      FIREBASE_AUTH_EMULATOR_HOST: AUTH_HOST,
      ...env,
    },
    // Its errors go to a log file (with-emulators prints where), not into the test output.
    stdio: ['ignore', 'ignore', relayLog(port)],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`relay on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    port,
    pid: child.pid as number,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export function connect(
  url: string,
  auth?: Record<string, string>,
  opts: { reconnection?: boolean } = {},
): ClientSocket {
  return io(url, {
    transports: ['websocket'],
    reconnection: opts.reconnection ?? false,
    forceNew: true,
    ...(auth ? { auth } : {}),
  });
}

/** Resolves when connected; rejects with the server's error data on connect_error. */
export function connected(socket: ClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) {
      resolve();
      return;
    }
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(Object.assign(err, { data: (err as { data?: unknown }).data })));
  });
}

/** The error a refused connection carries: `data` is the relay's `{ code, message }`. */
export type ConnectError = Error & { data?: SocketError };

/** Resolves with the connect_error of a refused socket, or null if it connected. */
export function connectError(socket: ClientSocket): Promise<ConnectError | null> {
  return connected(socket).then(
    () => null,
    (err: unknown) => err as ConnectError,
  );
}

/** The acknowledgement an event's handler answers with, from the protocol's event map. */
export type AckOf<E extends keyof ClientToServerEvents> = Parameters<
  NonNullable<Parameters<ClientToServerEvents[E]>[1]>
>[0];

export async function request<E extends keyof ClientToServerEvents>(
  socket: ClientSocket,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
): Promise<AckOf<E>> {
  // The typed emitWithAck can't follow a generic event name; the payload is checked by the signature above.
  const untyped = socket.timeout(10_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> };
  return (await untyped.emitWithAck(event, payload)) as AckOf<E>;
}

/** Collects every memory_update a socket receives. */
export function collect(socket: ClientSocket): MemoryUpdate[] {
  const got: MemoryUpdate[] = [];
  socket.on('memory_update', (u) => got.push(u));
  return got;
}

export async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
