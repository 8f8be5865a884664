/** @module socketTypes — the relay's typed Socket.IO server and socket, and what each socket carries. */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@memory-weaver/protocol';
import type { Principal } from '@memory-weaver/core';
import type { RateLimiter } from './rateLimit.js';
import type { SocketPresence } from './socketPresence.js';

/**
 * A socket's own state. A relay holds tens of thousands of sockets, so what each one carries is
 * kept to these fields, and those an idle socket doesn't need are made on first use.
 */
export interface SocketData {
  /** Undefined until the socket has authenticated. */
  principal: Principal | undefined;
  /**
   * The credential the caller authenticated with, kept in this process only: an administrator's
   * ID token is verified again on every `join` and `message` (it may have expired or been revoked).
   */
  credential: string | undefined;
  /** Fires when an administrator's ID token expires (see tokenExpiry.ts). */
  expiry: NodeJS.Timeout | undefined;
  /** The socket's token bucket, made on its first client event. */
  limiter: RateLimiter | undefined;
  /** The AIs the socket counts as present for, made on its first join. */
  present: SocketPresence | undefined;
}

export type RelayServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type RelaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export type Log = (message: string, err?: unknown) => void;
