/**
 * @module ack — errors across the socket are values: `on(event, schema, needsAuth, handle)` runs a
 * client event through the rate limit, validation and authentication, and acknowledges every
 * outcome; `toSocketError` turns anything thrown into the error of an acknowledgement.
 */
import type { z } from 'zod';
import type { Ack, ClientToServerEvents, SocketError } from '@memory-weaver/protocol';
import { ApiError } from '@memory-weaver/core';
import type { RelayMetrics } from './metrics.js';
import type { Log, RelaySocket } from './socketTypes.js';

/** An `ApiError` as it is; anything else as a generic `internal`, its details to the log only. */
export function toSocketError(err: unknown, log: Log): SocketError {
  if (err instanceof ApiError) {
    return err.details === null
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, details: err.details };
  }
  log('unexpected relay error', err);
  return { code: 'internal', message: 'internal error' };
}

/**
 * The handler registrar of one socket. A client event without an ack callback still runs; its
 * outcome is just not reported.
 */
export function acking(socket: RelaySocket, log: Log, metrics: Pick<RelayMetrics, 'refused'>) {
  return function on<S extends z.ZodType, R extends object>(
    event: keyof ClientToServerEvents,
    schema: S,
    needsAuth: boolean,
    handle: (payload: z.infer<S>) => Promise<R>,
  ): void {
    socket.on(event, async (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (res: Ack<R>) => void) : () => {};
      const refuse = (error: SocketError) => {
        metrics.refused(event, error.code);
        reply({ ok: false, error });
      };
      if (!socket.data.limiter.take()) {
        refuse({ code: 'rate_limited', message: 'too many events: slow down' });
        return;
      }
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const path = issue?.path.map(String).join('.') ?? '';
        const where = path === '' ? 'payload' : path;
        refuse({ code: 'invalid_argument', message: `invalid ${event}: ${where}: ${issue?.message ?? ''}` });
        return;
      }
      if (needsAuth && !socket.data.principal) {
        refuse({ code: 'unauthenticated', message: 'authenticate first' });
        return;
      }
      try {
        reply({ ok: true, ...(await handle(parsed.data)) });
      } catch (err) {
        refuse(toSocketError(err, log));
      }
    });
  };
}

export type On = ReturnType<typeof acking>;
