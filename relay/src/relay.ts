/**
 * @module relay — `createRelay(httpServer, deps)`: the Socket.IO server. It authenticates
 * clients, lets them join the rooms of the AIs they may see, pushes each AI's event log as
 * `memory_update`, and relays `message` between clients of one AI across relay processes.
 * Every client event is validated and answered with an acknowledgement, never a thrown error.
 */
import type { Server as HttpServer } from 'node:http';
import { Registry } from 'prom-client';
import { Server } from 'socket.io';
import type { Firestore } from 'firebase-admin/firestore';
import { SOCKET_LIMITS } from '@memory-weaver/protocol';
import { ApiError, noKeyCache, type VerifyIdToken } from '@memory-weaver/core';
import { createAdmission } from './admission.js';
import { connect } from './connection.js';
import { clientRoutes } from './handlers.js';
import { handshake } from './handshake.js';
import { createMetrics } from './metrics.js';
import { createPresence } from './presence.js';
import { DEFAULT_REPLAY_LIMITS, type ReplayLimits } from './replay.js';
import { createRooms } from './rooms.js';
import { createSocketLimits, DEFAULT_SOCKET_LIMITS, type SocketLimitOptions } from './socketLimits.js';
import type { Log, RelayServer } from './socketTypes.js';

export interface RelayDeps {
  db: Firestore;
  verifyIdToken: VerifyIdToken;
  /** Origins allowed by CORS (the console's). */
  corsOrigins: string[];
  log?: Log;
  authTimeoutMs?: number;
  rate?: { capacity: number; refillPerSecond: number };
  /** Open sockets allowed per address and per caller in this process. */
  socketLimits?: SocketLimitOptions;
  /** How far behind a joining client may be, and how many events are sent at a time. */
  replay?: ReplayLimits;
  /** Credential checks in flight at once (see admission.ts). */
  maxConcurrentAuth?: number;
  /** Where the relay's metrics go; a new registry when absent. One registry per relay. */
  registry?: Registry;
}

export const DEFAULT_MAX_CONCURRENT_AUTH = 32;

export interface Relay {
  io: RelayServer;
  /** Open rooms and the seats in them. */
  stats(): { rooms: number; seats: number };
  /** The relay's metrics (Prometheus), for `GET /metrics`. */
  registry: Registry;
  close(): Promise<void>;
}

export function createRelay(httpServer: HttpServer, deps: RelayDeps): Relay {
  const log: Log = deps.log ?? ((m, e) => console.error(m, e));
  const { db } = deps;
  const authDeps = { db, verifyIdToken: deps.verifyIdToken, keyCache: noKeyCache };
  const registry = deps.registry ?? new Registry();
  const metrics = createMetrics(registry, {
    sockets: () => io.engine.clientsCount,
    stats: () => rooms.stats(),
    authWaiting: () => admission.waiting(),
  });
  const rooms = createRooms(db, log, { replay: deps.replay ?? DEFAULT_REPLAY_LIMITS, observer: metrics });
  const presence = createPresence(db, log);
  const limits = createSocketLimits(deps.socketLimits ?? DEFAULT_SOCKET_LIMITS);
  const admission = createAdmission(
    deps.maxConcurrentAuth ?? DEFAULT_MAX_CONCURRENT_AUTH,
    () => new ApiError('unavailable', 'the connection closed while its credential waited to be checked'),
  );
  const handlerDeps = { db, authDeps, rooms, presence, limits, admission };
  const io: RelayServer = new Server(httpServer, {
    cors: { origin: deps.corsOrigins, credentials: false },
    maxHttpBufferSize: SOCKET_LIMITS.maxFrameBytes,
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });

  // Engine.IO keeps each connection's first HTTP request (headers, raw headers, URL, query) for
  // the connection's whole life, for middleware such as express-session; so does its WebSocket
  // response object, through a close listener on the TCP socket, so dropping Engine.IO's reference
  // alone frees nothing (about 0.6 KB per socket). Nothing here reads the request after the
  // upgrade: `socket.handshake.address` comes from the connection and the credentials from the
  // Socket.IO handshake. So it is emptied and let go (Socket.IO's "Memory usage" guide).
  io.engine.on('connection', (raw: { request: Record<string, unknown> | null }) => {
    const req = raw.request;
    if (req) {
      req.headers = {};
      req.rawHeaders = [];
      req.url = '';
      req._query = {};
    }
    raw.request = null;
  });
  io.use(handshake({ authDeps, admission, limits, log, metrics }));
  const connection = {
    rooms,
    presence,
    authTimeoutMs: deps.authTimeoutMs ?? SOCKET_LIMITS.authTimeoutMs,
    dispatch: {
      routes: clientRoutes(handlerDeps),
      rate: deps.rate ?? { capacity: 40, refillPerSecond: 20 },
      log,
      metrics,
    },
  };
  io.on('connection', (socket) => {
    connect(socket, connection);
  });

  return {
    io,
    stats: () => rooms.stats(),
    registry,
    close: async () => {
      rooms.close();
      await presence.close();
      await io.close();
    },
  };
}
