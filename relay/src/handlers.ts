/**
 * @module handlers — the five client events of one socket: `authenticate`, `join`, `leave`,
 * `heartbeat` and `message`. The `on` wrapper has already validated, rate-limited and checked
 * authentication; these do only the semantic checks and the work.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { AuthenticateSchema, HeartbeatSchema, JoinSchema, LeaveSchema, MessageSchema } from '@memory-weaver/protocol';
import { ApiError, authenticate, openAi, type AuthDeps, type Principal } from '@memory-weaver/core';
import type { On } from './ack.js';
import { becomeCaller } from './caller.js';
import { credentialOf, identityOf } from './identity.js';
import type { Member, Rooms } from './rooms.js';
import type { SocketLimits } from './socketLimits.js';
import type { SocketPresence } from './socketPresence.js';
import type { RelaySocket } from './socketTypes.js';
import { closeAtExpiry } from './tokenExpiry.js';

export interface HandlerContext {
  socket: RelaySocket;
  on: On;
  db: Firestore;
  authDeps: AuthDeps;
  rooms: Rooms;
  member: Member;
  present: SocketPresence;
  limits: SocketLimits;
  /** Lets the socket go: it leaves every room, and the client must connect again. */
  drop: () => void;
}

/** Errors after which a socket's caller can't go on: it is let go rather than left half-open. */
const ENDS_CALLER = new Set(['key_revoked', 'unauthenticated', 'permission_denied']);

export function handleClientEvents(ctx: HandlerContext): void {
  const { socket, on, db, authDeps, rooms, member, present, limits } = ctx;

  /**
   * May this caller see this AI? The core rule, with the credential checked again each time: a
   * key may have been revoked, and an administrator's token may have expired or been revoked
   * (demoted, disabled) since the socket connected. Either way the socket is let go.
   */
  async function authorize(aiUuid: string): Promise<void> {
    try {
      let principal = socket.data.principal as Principal;
      if (principal.kind === 'admin') principal = await authenticate(socket.data.credential ?? '', authDeps);
      await openAi(db, principal, aiUuid, { recheckKey: true });
    } catch (err) {
      if (err instanceof ApiError && ENDS_CALLER.has(err.code)) setTimeout(ctx.drop, 0);
      throw err;
    }
  }

  on('authenticate', AuthenticateSchema, false, async (payload) => {
    const credential = credentialOf(payload);
    const principal = await authenticate(credential, authDeps);
    const previous = socket.data.principal;
    becomeCaller(socket, principal, limits);
    socket.data.credential = credential;
    // A socket that becomes someone else keeps none of the rooms the previous caller joined.
    if (previous && JSON.stringify(identityOf(previous)) !== JSON.stringify(identityOf(principal))) {
      rooms.leaveAll(socket.id);
      present.markAllAbsent();
    }
    closeAtExpiry(socket, ctx.drop);
    return identityOf(principal);
  });

  on('join', JoinSchema, true, async ({ ai_uuid, since }) => {
    await authorize(ai_uuid);
    await socket.join(ai_uuid);
    const joined = await rooms.join(ai_uuid, member, since);
    // The client may have gone while this join waited on Firestore; its disconnect clean-up has
    // run already, so the seat taken above must be given back here, or it would leak (with the
    // room's listeners and the AI's presence).
    if (socket.disconnected) {
      rooms.leave(ai_uuid, socket.id);
      throw new ApiError('unavailable', 'the socket closed during join');
    }
    present.markPresent(ai_uuid);
    return { ai_uuid, replayed: joined.replayed, last_event_id: joined.lastEventId };
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
