/**
 * @module handshake — the `io.use` middleware that prepares every socket: the per-address socket
 * limit, its state (`socket.data`), and its caller when the handshake carries credentials
 * (`auth: { api_key }` or `auth: { token }`), checked before the connection is accepted. A client
 * that sends none must `authenticate` in time.
 */
import type { ExtendedError } from 'socket.io';
import { AuthenticateSchema } from '@memory-weaver/protocol';
import { ApiError, invalidArgument } from '@memory-weaver/core';
import { toSocketError } from './ack.js';
import { becomeCaller, releaseOnClose } from './caller.js';
import { checkCredential, type HandlerDeps } from './handlers.js';
import { credentialOf } from './identity.js';
import type { RelayMetrics } from './metrics.js';
import type { Log, RelaySocket } from './socketTypes.js';

export interface HandshakeDeps extends Pick<HandlerDeps, 'authDeps' | 'admission' | 'limits'> {
  log: Log;
  metrics: Pick<RelayMetrics, 'refused'>;
}

export function handshake(deps: HandshakeDeps) {
  const { limits, log, metrics } = deps;
  return async (socket: RelaySocket, next: (err?: ExtendedError) => void): Promise<void> => {
    // Every field, in one order, so that every socket's data has the same shape.
    socket.data.principal = undefined;
    socket.data.credential = undefined;
    socket.data.expiry = undefined;
    socket.data.limiter = undefined;
    socket.data.present = undefined;
    try {
      const address = socket.handshake.address;
      if (!limits.admit('address', address)) {
        throw new ApiError('rate_limited', 'too many open sockets from this address: close some first');
      }
      releaseOnClose(socket, address, limits);
      // Whatever the client sent: the types promise an object, the wire does not.
      const auth = socket.handshake.auth as Record<string, unknown> | null | undefined;
      if (!auth || Object.keys(auth).length === 0) {
        next();
        return;
      }
      const parsed = AuthenticateSchema.safeParse(auth);
      if (!parsed.success) throw invalidArgument('auth must be { api_key } or { token }');
      const credential = credentialOf(parsed.data);
      becomeCaller(socket, await checkCredential(credential, socket, deps), limits);
      socket.data.credential = credential;
      next();
    } catch (err) {
      const data = toSocketError(err, log);
      metrics.refused('connect', data.code);
      next(Object.assign(new Error(data.message), { data }));
    }
  };
}
