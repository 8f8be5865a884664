/**
 * @module connection — one accepted socket from connect to disconnect: the deadline to
 * authenticate, its client events (dispatched through the relay's routes), the socket as the
 * rooms see it (`SocketMember`), its presence, and the clean-up when it goes.
 *
 * A relay holds tens of thousands of sockets, most of them idle: what is made per socket here is
 * one listener for its events and one for its disconnect; its member, presence and rate limiter
 * are made when it first needs them, and as class instances rather than closures.
 */
import type { ServerToClientEvents } from '@memory-weaver/protocol';
import type { Principal } from '@memory-weaver/core';
import { dispatch, type DispatchDeps } from './ack.js';
import { drained } from './drain.js';
import type { Presence } from './presence.js';
import type { Member, Rooms } from './rooms.js';
import { trackPresence, type SocketPresence } from './socketPresence.js';
import type { RelaySocket } from './socketTypes.js';
import { closeAtExpiry } from './tokenExpiry.js';

/** What a socket's life needs of the relay. */
export interface SocketDeps {
  rooms: Rooms;
  presence: Presence;
}

export interface ConnectionDeps extends SocketDeps {
  dispatch: DispatchDeps;
  authTimeoutMs: number;
}

/** The AIs the socket counts as present for; made on first use. */
export const presenceOf = (socket: RelaySocket, presence: Presence): SocketPresence =>
  (socket.data.present ??= trackPresence(() => socket.data.principal, presence));

/** Lets the socket go: it leaves every room, and the client must connect again. */
export function drop(socket: RelaySocket, deps: SocketDeps): void {
  deps.rooms.leaveAll(socket.id);
  socket.data.present?.markAllAbsent();
  socket.disconnect(true);
}

/** The socket as a room sees it. Seated only after authenticating, so its principal is set. */
export class SocketMember implements Member {
  constructor(
    private readonly socket: RelaySocket,
    private readonly deps: SocketDeps,
  ) {}

  get id(): string {
    return this.socket.id;
  }

  get principal(): Principal {
    return this.socket.data.principal as Principal;
  }

  emit<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    this.socket.emit(event, ...args);
  }

  drained(): Promise<boolean> {
    return drained(this.socket.conn);
  }

  drop(): void {
    drop(this.socket, this.deps);
  }

  evict(aiUuid: string, reason: 'ai_deleted' | 'key_revoked'): void {
    void this.socket.leave(aiUuid);
    this.socket.data.present?.markAbsent(aiUuid);
    this.socket.emit('room_closed', { ai_uuid: aiUuid, reason });
    if (reason === 'key_revoked') this.drop();
  }
}

export function connect(socket: RelaySocket, deps: ConnectionDeps): void {
  if (!socket.data.principal) {
    const timer = setTimeout(() => {
      if (!socket.data.principal) socket.disconnect(true);
    }, deps.authTimeoutMs);
    socket.once('disconnect', () => clearTimeout(timer));
  }

  socket.onAny((event: string, payload: unknown, ack: unknown) => {
    void dispatch(deps.dispatch, socket, event, payload, ack);
  });
  closeAtExpiry(socket, () => drop(socket, deps));

  socket.on('disconnect', () => {
    clearTimeout(socket.data.expiry);
    deps.rooms.leaveAll(socket.id);
    socket.data.present?.markAllAbsent();
  });
}
