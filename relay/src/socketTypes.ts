/** @module socketTypes — the relay's typed Socket.IO server and socket, and what each socket carries. */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@memory-weaver/protocol';
import type { Principal } from '@memory-weaver/core';
import type { RateLimiter } from './rateLimit.js';

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
  limiter: RateLimiter;
}

export type RelayServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type RelaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export type Log = (message: string, err?: unknown) => void;
