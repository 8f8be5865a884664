/**
 * @module ack — errors across the socket are values: each client event is run through the rate
 * limit, validation and authentication, then its route's handler, and every outcome is
 * acknowledged; `toSocketError` turns anything thrown into the error of an acknowledgement.
 *
 * The routes are made once per relay and every socket is dispatched through them, so a socket
 * carries no handler closures of its own (a relay holds tens of thousands of sockets).
 */
import type { z } from 'zod';
import { jsonProblem, type Ack, type ClientToServerEvents, type SocketError } from '@memory-weaver/protocol';
import { ApiError } from '@memory-weaver/core';
import type { RelayMetrics } from './metrics.js';
import { tokenBucket, type RateOptions } from './rateLimit.js';
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

/** One client event: its payload's schema, whether it needs an authenticated caller, its handler. */
export interface Route {
  needsAuth: boolean;
  /** The payload as the handler takes it, or why it is invalid. */
  parse(payload: unknown): { ok: true; data: unknown } | { ok: false; where: string; message: string };
  handle(socket: RelaySocket, data: unknown): Promise<object>;
}

export function route<S extends z.ZodType, R extends object>(
  schema: S,
  needsAuth: boolean,
  handle: (socket: RelaySocket, payload: z.infer<S>) => Promise<R>,
): Route {
  return {
    needsAuth,
    parse(payload) {
      // Before the schema: nothing below meets a lone surrogate or unbounded nesting.
      const problem = jsonProblem(payload);
      if (problem)
        return { ok: false, where: problem.path.replace(/^\$\.?/, '') || 'payload', message: problem.message };
      const parsed = schema.safeParse(payload);
      if (parsed.success) return { ok: true, data: parsed.data };
      const issue = parsed.error.issues[0];
      const path = issue?.path.map(String).join('.') ?? '';
      return { ok: false, where: path === '' ? 'payload' : path, message: issue?.message ?? '' };
    },
    handle: (socket, data) => handle(socket, data as z.infer<S>),
  };
}

export type Routes = Record<keyof ClientToServerEvents, Route>;

export interface DispatchDeps {
  routes: Routes;
  rate: RateOptions;
  log: Log;
  metrics: Pick<RelayMetrics, 'refused'>;
}

const isClientEvent = (routes: Routes, event: string): event is keyof ClientToServerEvents =>
  Object.hasOwn(routes, event);

/**
 * Runs one client event and acknowledges its outcome. An event without an ack callback still
 * runs; its outcome is just not reported. An event no route names is ignored, as Socket.IO does
 * with an event nobody listens to.
 */
export async function dispatch(
  deps: DispatchDeps,
  socket: RelaySocket,
  event: string,
  payload: unknown,
  ack: unknown,
): Promise<void> {
  if (!isClientEvent(deps.routes, event)) return;
  // Socket.IO puts the ack callback last: an event emitted with a callback and no payload
  // (`emitWithAck('heartbeat')`) arrives with the callback first.
  if (typeof payload === 'function' && ack === undefined) {
    ack = payload;
    payload = undefined;
  }
  const r = deps.routes[event];
  const reply = typeof ack === 'function' ? (ack as (res: Ack) => void) : () => {};
  const refuse = (error: SocketError) => {
    deps.metrics.refused(event, error.code);
    reply({ ok: false, error });
  };
  // Made on the first event: a socket that never sends one holds no bucket.
  socket.data.limiter ??= tokenBucket(deps.rate);
  if (!socket.data.limiter.take()) {
    refuse({ code: 'rate_limited', message: 'too many events: slow down' });
    return;
  }
  const parsed = r.parse(payload);
  if (!parsed.ok) {
    refuse({ code: 'invalid_argument', message: `invalid ${event}: ${parsed.where}: ${parsed.message}` });
    return;
  }
  if (r.needsAuth && !socket.data.principal) {
    refuse({ code: 'unauthenticated', message: 'authenticate first' });
    return;
  }
  try {
    reply({ ok: true, ...(await r.handle(socket, parsed.data)) });
  } catch (err) {
    refuse(toSocketError(err, deps.log));
  }
}
