/**
 * @module handshake — the `io.use` middleware that prepares every socket: its rate limiter, and its
 * caller when the handshake carries credentials (`auth: { api_key }` or `auth: { token }`), checked
 * before the connection is accepted. A client that sends none must `authenticate` in time.
 */
import type { ExtendedError } from 'socket.io';
import { AuthenticateSchema } from '@memory-weaver/protocol';
import { authenticate, invalidArgument, type AuthDeps } from '@memory-weaver/core';
import { toSocketError } from './ack.js';
import { credentialOf } from './identity.js';
import { tokenBucket } from './rateLimit.js';
import type { Log, RelaySocket } from './socketTypes.js';

export interface HandshakeDeps {
  authDeps: AuthDeps;
  rate: { capacity: number; refillPerSecond: number };
  log: Log;
}

export function handshake({ authDeps, rate, log }: HandshakeDeps) {
  return async (socket: RelaySocket, next: (err?: ExtendedError) => void): Promise<void> => {
    socket.data.limiter = tokenBucket(rate);
    socket.data.principal = undefined;
    // Whatever the client sent: the types promise an object, the wire does not.
    const auth = socket.handshake.auth as Record<string, unknown> | null | undefined;
    if (!auth || Object.keys(auth).length === 0) {
      next();
      return;
    }
    const parsed = AuthenticateSchema.safeParse(auth);
    try {
      if (!parsed.success) throw invalidArgument('auth must be { api_key } or { token }');
      socket.data.principal = await authenticate(credentialOf(parsed.data), authDeps);
      next();
    } catch (err) {
      const error = Object.assign(new Error(toSocketError(err, log).message), { data: toSocketError(err, log) });
      next(error);
    }
  };
}
