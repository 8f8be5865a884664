/**
 * @module http/route — turns a use case into an Express handler: authenticate, honour
 * `Idempotency-Key` on mutations, run, and send JSON. Errors go to the app's one error handler.
 */
import type { Request, RequestHandler, Response } from 'express';
import {
  ApiError,
  type AuthDeps,
  authenticate,
  bearerToken,
  type Clock,
  GRPC,
  grpcCode,
  type Principal,
} from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import type { Embedder } from '../embeddings/base.js';
import { findStoredResult, idempotencyScope, recordResult, type IdempotencyScope } from './idempotency.js';

export interface RouteDeps extends AuthDeps {
  clock: Clock;
  embedder: Embedder;
}

/** A read: authenticated against Firestore every time, no side effects. */
export function query(deps: RouteDeps, run: (req: Request, principal: Principal) => Promise<unknown>): RequestHandler {
  return async (req, res, next) => {
    try {
      const principal = await authenticate(bearerToken(req.get('authorization')), deps);
      res.status(200).json(await run(req, principal));
    } catch (err) {
      next(err);
    }
  };
}

/**
 * A write. Its body is what an idempotent replay returns; the use case adds the idempotency
 * record to its own commit through `ctx.record`, so the record and the change land together.
 * `status` may depend on the caller (the handshake creates for an admin, reads for a key).
 */
export function mutation(
  deps: RouteDeps,
  status: number | ((principal: Principal) => number),
  run: (req: Request, ctx: MutationContext) => Promise<unknown>,
): RequestHandler {
  return async (req, res, next) => {
    try {
      const token = bearerToken(req.get('authorization'));
      const now = deps.clock.now();
      let principal = await authenticate(token, deps, true);
      const code = typeof status === 'number' ? status : status(principal);
      const key = req.get('idempotency-key');
      const scope =
        key === undefined
          ? undefined
          : idempotencyScope(deps.db, principal, key, { method: req.method, path: req.path, body: req.body }, now);
      if (scope && (await replay(scope, res))) return;
      const attempt = (p: Principal) =>
        run(req, {
          db: deps.db,
          clock: { now: () => now },
          embedder: deps.embedder,
          principal: p,
          via: `${req.method} ${req.baseUrl}${String(req.route?.path ?? req.path)}`,
          record: (writer, body) => recordResult(writer, scope, { status: code, body }),
        });
      let body: unknown;
      try {
        body = await attempt(principal);
      } catch (err) {
        // A concurrent request with the same key committed first: answer with its result.
        if (scope && grpcCode(err) === GRPC.ALREADY_EXISTS && (await replay(scope, res))) return;
        if (!(principal.kind === 'ai_key' && principal.cached && mayBeStaleKey(err))) throw err;
        // The cached key record may be out of date (key revoked, AI renamed or deleted since):
        // authenticate from Firestore, which throws if the key no longer opens anything, and
        // run once more with what is true now.
        deps.keyCache.delete(principal.keyId);
        principal = await authenticate(token, deps, false);
        body = await attempt(principal);
      }
      res.status(code).json(body);
    } catch (err) {
      next(err);
    }
  };
}

const mayBeStaleKey = (err: unknown): boolean =>
  err instanceof ApiError &&
  (err.code === 'not_found' ||
    err.code === 'unauthenticated' ||
    (err.code === 'invalid_argument' && (err.details as { field?: unknown } | null)?.field === 'ai_name'));

async function replay(scope: IdempotencyScope, res: Response): Promise<boolean> {
  const stored = await findStoredResult(scope);
  if (!stored) return false;
  res.set('Idempotent-Replayed', 'true').status(stored.status).json(stored.body);
  return true;
}
