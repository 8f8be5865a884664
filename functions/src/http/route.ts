/**
 * @module http/route — turns a use case into an Express handler: authenticate (and count the
 * caller against its limit), honour `Idempotency-Key` on mutations, run, and send JSON. Errors go
 * to the app's one error handler.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Firestore } from 'firebase-admin/firestore';
import { ApiError, type AuthDeps, authenticate, bearerToken, type Clock, type Principal } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import {
  findStoredResult,
  idempotencyScope,
  recordResult,
  type IdempotencyScope,
  type StoredResult,
} from './idempotency.js';
import type { Limits } from './limits.js';
import { noteCaller, noteRoute, requestFacts } from './requestContext.js';
import { capResponse } from './responseCap.js';

export interface RouteDeps extends AuthDeps {
  clock: Clock;
  limits: Limits;
  /** Bytes of listed items one answer may carry (http/responseCap.ts). */
  maxResponseBytes: number;
}

/**
 * An async handler whose failure reaches the error handler. Express 4 ignores the promise a
 * handler returns, so without this a rejection would leave the request hanging. It also notes the
 * route's pattern for the request's log line.
 */
export function handler(run: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req, res, next) => {
    noteRoute(req, res);
    run(req, res).catch((err: unknown) => {
      next(err);
    });
  };
}

/**
 * Who is calling. Settles the request's authentication attempt (a 401 counts against the
 * address's failed authentications, see http/limits.ts), then counts the request against its
 * caller's limit. `useCache`: only for writes whose commit re-checks the key (see `mutation`).
 */
export async function authenticateCaller(
  req: Request,
  res: Response,
  deps: RouteDeps,
  useCache = false,
): Promise<Principal> {
  const principal = await settled(res, () => authenticate(bearerToken(req.get('authorization')), deps, useCache));
  noteCaller(req, res, principal);
  deps.limits.admitCaller(principal);
  return principal;
}

/** Authenticates a key again from Firestore, forgetting what this process cached of it. */
async function authenticateFresh(res: Response, token: string, deps: RouteDeps, cached: Principal): Promise<Principal> {
  if (cached.kind === 'ai_key') deps.keyCache.delete(cached.keyId);
  return settled(res, () => authenticate(token, deps, false));
}

/** Runs an authentication and tells the request's attempt how it went. */
async function settled(res: Response, run: () => Promise<Principal>): Promise<Principal> {
  const attempt = requestFacts(res).auth;
  try {
    const principal = await run();
    attempt?.succeeded();
    return principal;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) attempt?.failed();
    throw err;
  }
}

const isCachedKey = (p: Principal): boolean => p.kind === 'ai_key' && p.cached;

/**
 * A route that answers by itself (a stream, say) but is called like every other: its caller is
 * authenticated against Firestore, noted for the request's log line and counted against its
 * limit (`authenticateCaller`) before `run` sees the request.
 */
export function authenticated(
  deps: RouteDeps,
  run: (req: Request, res: Response, principal: Principal) => Promise<void>,
): RequestHandler {
  return handler(async (req, res) => {
    await run(req, res, await authenticateCaller(req, res, deps));
  });
}

/** A read: authenticated against Firestore every time, no side effects; listings are capped. */
export function query(deps: RouteDeps, run: (req: Request, principal: Principal) => Promise<unknown>): RequestHandler {
  return authenticated(deps, async (req, res, principal) => {
    res.status(200).json(capResponse(await run(req, principal), deps.maxResponseBytes));
  });
}

/**
 * A write. Its body is what an idempotent replay returns; the use case adds the idempotency
 * record to its own commit through `ctx.record`, so the record and the change land together.
 * `status` may depend on the caller (the handshake creates for an admin, reads for a key).
 *
 * A key verified from this process's cache is trusted only for a change whose commit re-checks
 * the key (memory/change.ts updates the key's record in the commit; revoking deletes it). Whatever
 * is answered without such a commit, a stored result or a run that committed nothing (the
 * handshake of a key), is answered only after the key is authenticated afresh, so a key revoked
 * a moment ago on another instance gets 401 here at once too.
 */
export function mutation(
  deps: RouteDeps,
  status: number | ((principal: Principal) => number),
  run: (req: Request, ctx: MutationContext) => Promise<unknown>,
): RequestHandler {
  return handler(async (req, res) => {
    const token = bearerToken(req.get('authorization'));
    const now = deps.clock.now();
    let principal = await authenticateCaller(req, res, deps, true);
    const code = typeof status === 'number' ? status : status(principal);
    const scope = requestScope(deps.db, req, principal, now);
    const sendStoredFresh = async (stored: StoredResult) => {
      if (isCachedKey(principal)) principal = await authenticateFresh(res, token, deps, principal);
      sendStored(res, stored);
    };
    const first = scope ? await findStoredResult(scope) : null;
    if (first) {
      await sendStoredFresh(first);
      return;
    }
    const via = `${req.method} ${req.baseUrl}${routePath(req)}`;
    // A count, not a boolean: TypeScript can't see the callback set it and would call the check below dead.
    let recorded = 0;
    const attempt = (p: Principal) =>
      run(
        req,
        mutationContext(deps, {
          principal: p,
          now,
          via,
          scope,
          status: code,
          onRecord: () => {
            recorded += 1;
          },
        }),
      );
    let body: unknown;
    try {
      body = await attempt(principal);
    } catch (err) {
      // A concurrent request with the same key committed first: answer with its result. Its commit
      // can be why this one failed in any way, not only on the key's record (ALREADY_EXISTS): a
      // retry of a move or a delete whose first attempt landed while its answer was lost finds the
      // memory gone (404), and must get the first answer, not that 404.
      const stored = scope ? await findStoredResult(scope) : null;
      if (stored) {
        await sendStoredFresh(stored);
        return;
      }
      if (!(isCachedKey(principal) && mayBeStaleKey(err))) throw err;
      // The cached key record may be out of date (key revoked, AI renamed or deleted since):
      // authenticate from Firestore, which throws if the key no longer opens anything, and
      // run once more with what is true now.
      principal = await authenticateFresh(res, token, deps, principal);
      body = await attempt(principal);
    }
    if (recorded === 0 && isCachedKey(principal)) {
      const cached = principal;
      principal = await authenticateFresh(res, token, deps, cached);
      // The key still works; if what it names changed meanwhile, answer with what is true now.
      if (principal.kind === 'ai_key' && cached.kind === 'ai_key' && principal.aiName !== cached.aiName) {
        body = await attempt(principal);
      }
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
  // An admin's request names its AI in the path (resource routes) or the body (the seed's routes).
  const named = req.params.ai_uuid ?? (req.body as { ai_uuid?: unknown } | undefined)?.ai_uuid;
  const aiUuid = typeof named === 'string' ? named : undefined;
  return idempotencyScope(db, principal, key, { method: req.method, path: req.path, body: req.body, aiUuid }, now);
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

/**
 * What a use case is handed: one instant for the whole request, and the key's record to commit
 * with it. `onRecord` hears that the use case put its result into a commit.
 */
export function mutationContext(
  deps: RouteDeps,
  request: {
    principal: Principal;
    now: Date;
    via: string;
    scope: IdempotencyScope | undefined;
    status: number;
    onRecord?: () => void;
  },
): MutationContext {
  const { principal, now, via, scope, status, onRecord } = request;
  return {
    db: deps.db,
    clock: { now: () => now },
    principal,
    via,
    record: (writer, body) => {
      onRecord?.();
      recordResult(writer, scope, { status, body });
    },
  };
}
