/**
 * @module connection — one accepted socket from connect to disconnect: the deadline to
 * authenticate, the socket as the rooms see it (`Member`), its presence, its handlers, and the
 * clean-up when it goes.
 */
import type { Firestore } from 'firebase-admin/firestore';
import type { AuthDeps, Principal } from '@memory-weaver/core';
import { acking } from './ack.js';
import { drained } from './drain.js';
import { handleClientEvents } from './handlers.js';
import type { RelayMetrics } from './metrics.js';
import type { Presence } from './presence.js';
import type { Member, Rooms } from './rooms.js';
import type { SocketLimits } from './socketLimits.js';
import { trackPresence } from './socketPresence.js';
import type { Log, RelaySocket } from './socketTypes.js';
import { closeAtExpiry } from './tokenExpiry.js';

export interface ConnectionDeps {
  db: Firestore;
  authDeps: AuthDeps;
  rooms: Rooms;
  presence: Presence;
  limits: SocketLimits;
  authTimeoutMs: number;
  log: Log;
  metrics: RelayMetrics;
}

export function connect(socket: RelaySocket, deps: ConnectionDeps): void {
  if (!socket.data.principal) {
    const timer = setTimeout(() => {
      if (!socket.data.principal) socket.disconnect(true);
    }, deps.authTimeoutMs);
    socket.once('disconnect', () => clearTimeout(timer));
  }

  const present = trackPresence(() => socket.data.principal, deps.presence);
  const drop = () => {
    deps.rooms.leaveAll(socket.id);
    present.markAllAbsent();
    socket.disconnect(true);
  };

  const member: Member = {
    id: socket.id,
    // Members are seated only after authenticating, so the principal is set by then.
    get principal() {
      return socket.data.principal as Principal;
    },
    emit: (event, ...args) => socket.emit(event, ...args),
    drained: () => drained(socket.conn),
    drop,
    evict: (aiUuid, reason) => {
      void socket.leave(aiUuid);
      present.markAbsent(aiUuid);
      socket.emit('room_closed', { ai_uuid: aiUuid, reason });
      if (reason === 'key_revoked') drop();
    },
  };

  const { db, authDeps, rooms, limits } = deps;
  handleClientEvents({
    socket,
    on: acking(socket, deps.log, deps.metrics),
    db,
    authDeps,
    rooms,
    member,
    present,
    limits,
    drop,
  });
  closeAtExpiry(socket, drop);

  socket.on('disconnect', () => {
    clearTimeout(socket.data.expiry);
    rooms.leaveAll(socket.id);
    present.markAllAbsent();
  });
}
