/**
 * @module http/route — turns a use case into an Express handler: authenticate, honour
 * `Idempotency-Key` on mutations, run, and send JSON. Errors go to the app's one error handler.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Firestore } from 'firebase-admin/firestore';
import { authenticate, bearerToken, type Principal, type VerifyIdToken } from '../auth/principal.js';
import type { MutationContext } from '../context.js';
import type { Clock } from '../store/time.js';
import { GRPC, grpcCode } from './errors.js';
import { findStoredResult, idempotencyScope, recordResult, type IdempotencyScope } from './idempotency.js';

export interface RouteDeps {
  db: Firestore;
  clock: Clock;
  verifyIdToken: VerifyIdToken;
}

export interface Reply {
  status: number;
  body: unknown;
}

const principalOf = (req: Request, deps: RouteDeps): Promise<Principal> =>
  authenticate(bearerToken(req.get('authorization')), deps);

/** A read: authenticated, no side effects. */
export function query(deps: RouteDeps, run: (req: Request, principal: Principal) => Promise<unknown>): RequestHandler {
  return async (req, res, next) => {
    try {
      res.status(200).json(await run(req, await principalOf(req, deps)));
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
      const principal = await principalOf(req, deps);
      const now = deps.clock.now();
      const code = typeof status === 'number' ? status : status(principal);
      const key = req.get('idempotency-key');
      const scope =
        key === undefined
          ? undefined
          : idempotencyScope(deps.db, principal, key, { method: req.method, path: req.path, body: req.body }, now);
      if (scope && (await replay(scope, res))) return;
      const ctx: MutationContext = {
        db: deps.db,
        clock: { now: () => now },
        principal,
        via: `${req.method} ${req.baseUrl}${String(req.route?.path ?? req.path)}`,
        record: (writer, body) => recordResult(writer, scope, { status: code, body }),
      };
      let body: unknown;
      try {
        body = await run(req, ctx);
      } catch (err) {
        // A concurrent request with the same key committed first: answer with its result.
        if (scope && grpcCode(err) === GRPC.ALREADY_EXISTS && (await replay(scope, res))) return;
        throw err;
      }
      res.status(code).json(body);
    } catch (err) {
      next(err);
    }
  };
}

async function replay(scope: IdempotencyScope, res: Response): Promise<boolean> {
  const stored = await findStoredResult(scope);
  if (!stored) return false;
  res.set('Idempotent-Replayed', 'true').status(stored.status).json(stored.body);
  return true;
}
