/** @module socketTypes — the relay's typed Socket.IO server and socket, and what each socket carries. */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@memory-weaver/protocol';
import type { Principal } from '@memory-weaver/core';
import type { RateLimiter } from './rateLimit.js';

export interface SocketData {
  /** Undefined until the socket has authenticated. */
  principal: Principal | undefined;
  limiter: RateLimiter;
}

export type RelayServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type RelaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export type Log = (message: string, err?: unknown) => void;
