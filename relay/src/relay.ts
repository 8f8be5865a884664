/**
 * @module relay — `createRelay(httpServer, deps)`: the Socket.IO server. It authenticates
 * clients, lets them join the rooms of the AIs they may see, pushes each AI's event log as
 * `memory_update`, and relays `message` between clients of one AI across relay processes.
 * Every client event is validated and answered with an acknowledgement, never a thrown error.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Firestore } from 'firebase-admin/firestore';
import { SOCKET_LIMITS } from '@memory-weaver/protocol';
import { noKeyCache, type VerifyIdToken } from '@memory-weaver/core';
import { connect } from './connection.js';
import { handshake } from './handshake.js';
import { createPresence } from './presence.js';
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
}

export interface Relay {
  io: RelayServer;
  /** Open rooms and the seats in them. */
  stats(): { rooms: number; seats: number };
  close(): Promise<void>;
}

export function createRelay(httpServer: HttpServer, deps: RelayDeps): Relay {
  const log: Log = deps.log ?? ((m, e) => console.error(m, e));
  const { db } = deps;
  const authDeps = { db, verifyIdToken: deps.verifyIdToken, keyCache: noKeyCache };
  const rooms = createRooms(db, log);
  const presence = createPresence(db, log);
  const limits = createSocketLimits(deps.socketLimits ?? DEFAULT_SOCKET_LIMITS);
  const io: RelayServer = new Server(httpServer, {
    cors: { origin: deps.corsOrigins, credentials: false },
    maxHttpBufferSize: SOCKET_LIMITS.maxFrameBytes,
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });

  io.use(handshake({ authDeps, rate: deps.rate ?? { capacity: 40, refillPerSecond: 20 }, limits, log }));
  io.on('connection', (socket) => {
    connect(socket, {
      db,
      authDeps,
      rooms,
      presence,
      limits,
      authTimeoutMs: deps.authTimeoutMs ?? SOCKET_LIMITS.authTimeoutMs,
      log,
    });
  });

  return {
    io,
    stats: () => rooms.stats(),
    close: async () => {
      rooms.close();
      await presence.close();
      await io.close();
    },
  };
}
