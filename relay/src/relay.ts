/**
 * @module relay — `createRelay(httpServer, deps)`: the Socket.IO server. It authenticates
 * clients, lets them join the rooms of the AIs they may see, pushes each AI's event log as
 * `memory_update`, and relays `message` between clients of one AI across relay processes.
 * Every client event is validated and answered with an acknowledgement, never a thrown error.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import type { Firestore } from 'firebase-admin/firestore';
import {
  AuthenticateSchema,
  HeartbeatSchema,
  JoinSchema,
  LeaveSchema,
  MessageSchema,
  SOCKET_LIMITS,
  type Ack,
  type ClientToServerEvents,
  type Identity,
  type ServerToClientEvents,
  type SocketError,
} from '@memory-weaver/protocol';
import {
  ApiError,
  authenticate,
  invalidArgument,
  noKeyCache,
  openAi,
  type Principal,
  type VerifyIdToken,
} from '@memory-weaver/core';
import { tokenBucket, type RateLimiter } from './rateLimit.js';
import { createPresence } from './presence.js';
import { createRooms, type Member } from './rooms.js';

export interface RelayDeps {
  db: Firestore;
  verifyIdToken: VerifyIdToken;
  /** Origins allowed by CORS (the console's). */
  corsOrigins: string[];
  log?: (message: string, err?: unknown) => void;
  authTimeoutMs?: number;
  rate?: { capacity: number; refillPerSecond: number };
}

interface SocketData {
  principal: Principal | undefined;
  limiter: RateLimiter;
}
type RelayServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type RelaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface Relay {
  io: RelayServer;
  close(): Promise<void>;
}

const identityOf = (p: Principal): Identity =>
  p.kind === 'admin' ? { role: 'admin', ai_uuid: null } : { role: 'ai', ai_uuid: p.aiUuid };

function toSocketError(err: unknown, log: (m: string, e?: unknown) => void): SocketError {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  log('unexpected relay error', err);
  return { code: 'internal', message: 'internal error' };
}

export function createRelay(httpServer: HttpServer, deps: RelayDeps): Relay {
  const log = deps.log ?? ((m, e) => console.error(m, e));
  const authDeps = { db: deps.db, verifyIdToken: deps.verifyIdToken, keyCache: noKeyCache };
  const rooms = createRooms(deps.db, log);
  const presence = createPresence(deps.db, log);
  const io: RelayServer = new Server(httpServer, {
    cors: { origin: deps.corsOrigins, credentials: false },
    maxHttpBufferSize: SOCKET_LIMITS.maxFrameBytes,
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });

  const credentialOf = (p: z.infer<typeof AuthenticateSchema>) => ('api_key' in p ? p.api_key : p.token);

  // Credentials in the handshake (`auth: { api_key }` or `auth: { token }`) are checked before
  // the connection is accepted; a client that sends none must `authenticate` in time.
  io.use(async (socket, next) => {
    socket.data.limiter = tokenBucket(deps.rate ?? { capacity: 40, refillPerSecond: 20 });
    socket.data.principal = undefined;
    const auth = socket.handshake.auth as Record<string, unknown>;
    if (!auth || Object.keys(auth).length === 0) return next();
    const parsed = AuthenticateSchema.safeParse(auth);
    try {
      if (!parsed.success) throw invalidArgument('auth must be { api_key } or { token }');
      socket.data.principal = await authenticate(credentialOf(parsed.data), authDeps);
      next();
    } catch (err) {
      const error = Object.assign(new Error(toSocketError(err, log).message), { data: toSocketError(err, log) });
      next(error);
    }
  });

  io.on('connection', (socket: RelaySocket) => {
    if (!socket.data.principal) {
      const timer = setTimeout(() => {
        if (!socket.data.principal) socket.disconnect(true);
      }, deps.authTimeoutMs ?? SOCKET_LIMITS.authTimeoutMs);
      socket.once('disconnect', () => clearTimeout(timer));
    }

    const member: Member = {
      id: socket.id,
      get principal() {
        return socket.data.principal as Principal;
      },
      emit: (event, ...args) => socket.emit(event, ...args),
      drop: () => {
        socket.disconnect(true);
      },
      evict: (reason) => {
        for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
        const p = socket.data.principal;
        const aiUuid = p?.kind === 'ai_key' ? p.aiUuid : null;
        socket.emit('room_closed', { ai_uuid: aiUuid ?? '', reason });
        for (const a of [...present]) markAbsent(a);
        if (reason === 'key_revoked') socket.disconnect(true);
      },
    };

    /**
     * Wraps a handler: rate limit, validation, authentication where required, and an
     * acknowledgement for every outcome. A client event without an ack callback still runs.
     */
    function on<E extends keyof ClientToServerEvents, S extends z.ZodType, R extends object>(
      event: E,
      schema: S,
      needsAuth: boolean,
      handle: (payload: z.infer<S>) => Promise<R>,
    ) {
      socket.on(event, (async (payload: unknown, ack?: unknown) => {
        const reply = typeof ack === 'function' ? (ack as (res: Ack<R>) => void) : () => {};
        if (!socket.data.limiter.take()) {
          reply({ ok: false, error: { code: 'rate_limited', message: 'too many events: slow down' } });
          return;
        }
        const parsed = schema.safeParse(payload);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const where = issue?.path.map(String).join('.') || 'payload';
          reply({
            ok: false,
            error: { code: 'invalid_argument', message: `invalid ${event}: ${where}: ${issue?.message ?? ''}` },
          });
          return;
        }
        if (needsAuth && !socket.data.principal) {
          reply({ ok: false, error: { code: 'unauthenticated', message: 'authenticate first' } });
          return;
        }
        try {
          reply({ ok: true, ...(await handle(parsed.data)) });
        } catch (err) {
          reply({ ok: false, error: toSocketError(err, log) });
        }
      }) as never);
    }

    /**
     * May this caller see this AI? The core rule, with the key read again each time: it may have
     * been revoked since the socket connected, and then the socket is let go.
     */
    async function authorize(aiUuid: string): Promise<void> {
      try {
        await openAi(deps.db, socket.data.principal as Principal, aiUuid, { recheckKey: true });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'key_revoked') setTimeout(() => socket.disconnect(true), 0);
        throw err;
      }
    }

    on('authenticate', AuthenticateSchema, false, async (payload) => {
      const principal = await authenticate(credentialOf(payload), authDeps);
      const previous = socket.data.principal;
      if (previous && JSON.stringify(identityOf(previous)) !== JSON.stringify(identityOf(principal))) {
        rooms.leaveAll(socket.id);
        for (const aiUuid of [...present]) markAbsent(aiUuid);
      }
      socket.data.principal = principal;
      return identityOf(principal);
    });

    // AI clients in rooms count as "connected" for the console (administrators' sockets don't).
    const present = new Set<string>();
    const markPresent = (aiUuid: string) => {
      if (socket.data.principal?.kind !== 'ai_key' || present.has(aiUuid)) return;
      present.add(aiUuid);
      presence.add(aiUuid);
    };
    const markAbsent = (aiUuid: string) => {
      if (present.delete(aiUuid)) presence.remove(aiUuid);
    };

    on('join', JoinSchema, true, async ({ ai_uuid, since }) => {
      await authorize(ai_uuid);
      await socket.join(ai_uuid);
      const { replayed, lastEventId } = await rooms.join(ai_uuid, member, since);
      markPresent(ai_uuid);
      return { ai_uuid, replayed, last_event_id: lastEventId };
    });

    on('leave', LeaveSchema, true, async ({ ai_uuid }) => {
      rooms.leave(ai_uuid, socket.id);
      markAbsent(ai_uuid);
      await socket.leave(ai_uuid);
      return { ai_uuid };
    });

    on('heartbeat', HeartbeatSchema, false, async () => ({ server_time: new Date().toISOString() }));

    on('message', MessageSchema, true, async ({ ai_uuid, ...payload }) => {
      await authorize(ai_uuid);
      const p = socket.data.principal as Principal;
      const message_id = await rooms.publish(ai_uuid, { ...identityOf(p), socket_id: socket.id }, payload);
      return { message_id };
    });

    socket.on('disconnect', () => {
      rooms.leaveAll(socket.id);
      for (const aiUuid of [...present]) markAbsent(aiUuid);
    });
  });

  return {
    io,
    close: async () => {
      rooms.close();
      await presence.close();
      await io.close();
    },
  };
}
