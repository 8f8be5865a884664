/**
 * @module handlers — the five client events of one socket: `authenticate`, `join`, `leave`,
 * `heartbeat` and `message`. The `on` wrapper has already validated, rate-limited and checked
 * authentication; these do only the semantic checks and the work.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { AuthenticateSchema, HeartbeatSchema, JoinSchema, LeaveSchema, MessageSchema } from '@memory-weaver/protocol';
import { ApiError, authenticate, openAi, type AuthDeps, type Principal } from '@memory-weaver/core';
import type { On } from './ack.js';
import { credentialOf, identityOf } from './identity.js';
import type { Member, Rooms } from './rooms.js';
import type { SocketPresence } from './socketPresence.js';
import type { RelaySocket } from './socketTypes.js';

export interface HandlerContext {
  socket: RelaySocket;
  on: On;
  db: Firestore;
  authDeps: AuthDeps;
  rooms: Rooms;
  member: Member;
  present: SocketPresence;
}

export function handleClientEvents({ socket, on, db, authDeps, rooms, member, present }: HandlerContext): void {
  /**
   * May this caller see this AI? The core rule, with the key read again each time: it may have
   * been revoked since the socket connected, and then the socket is let go.
   */
  async function authorize(aiUuid: string): Promise<void> {
    try {
      await openAi(db, socket.data.principal as Principal, aiUuid, { recheckKey: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'key_revoked') setTimeout(() => socket.disconnect(true), 0);
      throw err;
    }
  }

  on('authenticate', AuthenticateSchema, false, async (payload) => {
    const principal = await authenticate(credentialOf(payload), authDeps);
    const previous = socket.data.principal;
    // A socket that becomes someone else keeps none of the rooms the previous caller joined.
    if (previous && JSON.stringify(identityOf(previous)) !== JSON.stringify(identityOf(principal))) {
      rooms.leaveAll(socket.id);
      present.markAllAbsent();
    }
    socket.data.principal = principal;
    return identityOf(principal);
  });

  on('join', JoinSchema, true, async ({ ai_uuid, since }) => {
    await authorize(ai_uuid);
    await socket.join(ai_uuid);
    const { replayed, lastEventId } = await rooms.join(ai_uuid, member, since);
    present.markPresent(ai_uuid);
    return { ai_uuid, replayed, last_event_id: lastEventId };
  });

  on('leave', LeaveSchema, true, async ({ ai_uuid }) => {
    rooms.leave(ai_uuid, socket.id);
    present.markAbsent(ai_uuid);
    await socket.leave(ai_uuid);
    return { ai_uuid };
  });

  on('heartbeat', HeartbeatSchema, false, () => Promise.resolve({ server_time: new Date().toISOString() }));

  on('message', MessageSchema, true, async ({ ai_uuid, ...payload }) => {
    await authorize(ai_uuid);
    const p = socket.data.principal as Principal;
    const message_id = await rooms.publish(ai_uuid, { ...identityOf(p), socket_id: socket.id }, payload);
    return { message_id };
  });
}
