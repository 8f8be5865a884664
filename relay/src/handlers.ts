/**
 * @module handlers — the five client events: `authenticate`, `join`, `leave`, `heartbeat` and
 * `message`, as routes made once per relay. The dispatcher (ack.ts) has already validated,
 * rate-limited and checked authentication; these do only the semantic checks and the work.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { AuthenticateSchema, HeartbeatSchema, JoinSchema, LeaveSchema, MessageSchema } from '@memory-weaver/protocol';
import { ApiError, authenticate, openAi, type AuthDeps, type Principal } from '@memory-weaver/core';
import { route, type Routes } from './ack.js';
import type { Admission } from './admission.js';
import { becomeCaller } from './caller.js';
import { drop, presenceOf, SocketMember, type SocketDeps } from './connection.js';
import { credentialOf, identityOf } from './identity.js';
import type { SocketLimits } from './socketLimits.js';
import type { RelaySocket } from './socketTypes.js';
import { closeAtExpiry } from './tokenExpiry.js';

export interface HandlerDeps extends SocketDeps {
  db: Firestore;
  authDeps: AuthDeps;
  limits: SocketLimits;
  admission: Admission;
}

/** Errors after which a socket's caller can't go on: it is let go rather than left half-open. */
const ENDS_CALLER = new Set(['key_revoked', 'unauthenticated', 'permission_denied']);

/** Checks a credential in its turn (see admission.ts); skipped if the socket has gone by then. */
export function checkCredential(
  credential: string,
  socket: RelaySocket,
  deps: Pick<HandlerDeps, 'authDeps' | 'admission'>,
): Promise<Principal> {
  return deps.admission.run(
    credential,
    () => authenticate(credential, deps.authDeps),
    () => socket.conn.readyState === 'open',
  );
}

export function clientRoutes(deps: HandlerDeps): Routes {
  const { db, authDeps, rooms, limits } = deps;

  /**
   * May this caller see this AI? The core rule, with the credential checked again each time: a
   * key may have been revoked, and an administrator's token may have expired or been revoked
   * (demoted, disabled) since the socket connected. Either way the socket is let go.
   */
  async function authorize(socket: RelaySocket, aiUuid: string): Promise<void> {
    try {
      let principal = socket.data.principal as Principal;
      if (principal.kind === 'admin') principal = await authenticate(socket.data.credential ?? '', authDeps);
      await openAi(db, principal, aiUuid, { recheckKey: true });
    } catch (err) {
      if (err instanceof ApiError && ENDS_CALLER.has(err.code)) {
        setTimeout(() => {
          drop(socket, deps);
        }, 0);
      }
      throw err;
    }
  }

  return {
    authenticate: route(AuthenticateSchema, false, async (socket, payload) => {
      const credential = credentialOf(payload);
      const principal = await checkCredential(credential, socket, deps);
      const previous = socket.data.principal;
      becomeCaller(socket, principal, limits);
      socket.data.credential = credential;
      // A socket that becomes someone else keeps none of the rooms the previous caller joined.
      if (previous && JSON.stringify(identityOf(previous)) !== JSON.stringify(identityOf(principal))) {
        rooms.leaveAll(socket.id);
        socket.data.present?.markAllAbsent();
      }
      closeAtExpiry(socket, () => drop(socket, deps));
      return identityOf(principal);
    }),

    join: route(JoinSchema, true, async (socket, { ai_uuid, since }) => {
      await authorize(socket, ai_uuid);
      await socket.join(ai_uuid);
      let joined;
      try {
        joined = await rooms.join(ai_uuid, new SocketMember(socket, deps), since);
      } catch (err) {
        // Refused (resync_required, say): the socket is in no room it was refused.
        await socket.leave(ai_uuid);
        throw err;
      }
      // The client may have gone while this join waited on Firestore; its disconnect clean-up has
      // run already, so the seat taken above must be given back here, or it would leak (with the
      // room's listeners and the AI's presence).
      if (socket.disconnected) {
        rooms.leave(ai_uuid, socket.id);
        throw new ApiError('unavailable', 'the socket closed during join');
      }
      presenceOf(socket, deps.presence).markPresent(ai_uuid);
      return { ai_uuid, replayed: joined.replayed, last_event_id: joined.lastEventId };
    }),

    leave: route(LeaveSchema, true, async (socket, { ai_uuid }) => {
      rooms.leave(ai_uuid, socket.id);
      socket.data.present?.markAbsent(ai_uuid);
      await socket.leave(ai_uuid);
      return { ai_uuid };
    }),

    heartbeat: route(HeartbeatSchema, false, () => Promise.resolve({ server_time: new Date().toISOString() })),

    message: route(MessageSchema, true, async (socket, { ai_uuid, ...payload }) => {
      await authorize(socket, ai_uuid);
      const p = socket.data.principal as Principal;
      const message_id = await rooms.publish(ai_uuid, { ...identityOf(p), socket_id: socket.id }, payload);
      return { message_id };
    }),
  };
}
