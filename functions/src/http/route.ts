/**
 * @module http/route — turns a use case into an Express handler: authenticate, honour
 * `Idempotency-Key` on mutations, run, and send JSON. Errors go to the app's one error handler.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Firestore } from 'firebase-admin/firestore';
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
import {
  findStoredResult,
  idempotencyScope,
  recordResult,
  type IdempotencyScope,
  type StoredResult,
} from './idempotency.js';

export interface RouteDeps extends AuthDeps {
  clock: Clock;
  embedder: Embedder;
}

/**
 * An async handler whose failure reaches the error handler. Express 4 ignores the promise a
 * handler returns, so without this a rejection would leave the request hanging.
 */
export function handler(run: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req, res, next) => {
    run(req, res).catch((err: unknown) => {
      next(err);
    });
  };
}

/** A read: authenticated against Firestore every time, no side effects. */
export function query(deps: RouteDeps, run: (req: Request, principal: Principal) => Promise<unknown>): RequestHandler {
  return handler(async (req, res) => {
    const principal = await authenticate(bearerToken(req.get('authorization')), deps);
    res.status(200).json(await run(req, principal));
  });
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
  return handler(async (req, res) => {
    const token = bearerToken(req.get('authorization'));
    const now = deps.clock.now();
    let principal = await authenticate(token, deps, true);
    const code = typeof status === 'number' ? status : status(principal);
    const scope = requestScope(deps.db, req, principal, now);
    if (scope && (await replay(scope, res))) return;
    const via = `${req.method} ${req.baseUrl}${routePath(req)}`;
    const attempt = (p: Principal) => run(req, mutationContext(deps, { principal: p, now, via, scope, status: code }));
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
  });
}

/** The route's pattern (`/ais/:ai_uuid`), not the concrete path: provenance names the endpoint, not the ids. */
const routePath = (req: Request): string => String((req.route as { path?: unknown } | undefined)?.path ?? req.path);

const mayBeStaleKey = (err: unknown): boolean =>
  err instanceof ApiError &&
  (err.code === 'not_found' ||
    err.code === 'unauthenticated' ||
    (err.code === 'invalid_argument' && (err.details as { field?: unknown } | null)?.field === 'ai_name'));

/** The `Idempotency-Key` scope of a request, or undefined when it sends no key. */
export function requestScope(
  db: Firestore,
  req: Request,
  principal: Principal,
  now: Date,
): IdempotencyScope | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  return idempotencyScope(db, principal, key, { method: req.method, path: req.path, body: req.body }, now);
}

/** Sends a stored result as it was first sent, marked as a replay. */
export function sendStored(res: Response, stored: StoredResult): void {
  res.set('Idempotent-Replayed', 'true').status(stored.status).json(stored.body);
}

/** Answers with the first result of this key through `send`, if there is one; false if there is none. */
export async function replay(
  scope: IdempotencyScope,
  res: Response,
  send: (res: Response, stored: StoredResult) => void = sendStored,
): Promise<boolean> {
  const stored = await findStoredResult(scope);
  if (!stored) return false;
  send(res, stored);
  return true;
}

/** What a use case is handed: one instant for the whole request, and the key's record to commit with it. */
export function mutationContext(
  deps: RouteDeps,
  request: { principal: Principal; now: Date; via: string; scope: IdempotencyScope | undefined; status: number },
): MutationContext {
  const { principal, now, via, scope, status } = request;
  return {
    db: deps.db,
    clock: { now: () => now },
    embedder: deps.embedder,
    principal,
    via,
    record: (writer, body) => {
      recordResult(writer, scope, { status, body });
    },
  };
}
