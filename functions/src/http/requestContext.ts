/**
 * @module http/requestContext — what the app knows about a request as it goes: its id, the route
 * that answered it, who called and about which AI, and its authentication attempt. The request
 * log line (http/requestLog.ts) and error bodies (http/errors.ts) read it.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Principal } from '@memory-weaver/core';
import type { AuthAttempt } from './limits.js';

export interface RequestFacts {
  id: string;
  /** `performance.now()` when the app first saw the request. */
  startedAt: number;
  /** The route's pattern (`POST /v1/ais/:ai_uuid/memories/:memory_type`), null when none matched. */
  route: string | null;
  caller: Principal['kind'] | null;
  aiUuid: string | null;
  /** The rate-limit key of the client's address (see http/clientAddress.ts). */
  address: string;
  auth: AuthAttempt | null;
}

const facts = new WeakMap<Response, RequestFacts>();

/**
 * An incoming `x-request-id` is kept when it looks like an id (a proxy or the client tracing a
 * call across systems); anything else could smuggle text into logs, so it gets a fresh one.
 */
const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;

export function beginRequest(res: Response, incomingId: string | undefined, startedAt: number): RequestFacts {
  const f: RequestFacts = {
    id: incomingId !== undefined && SANE_REQUEST_ID.test(incomingId) ? incomingId : randomUUID(),
    startedAt,
    route: null,
    caller: null,
    aiUuid: null,
    address: 'unknown',
    auth: null,
  };
  facts.set(res, f);
  return f;
}

/** This request's facts; a response the app's first middleware never saw gets blank ones. */
export function requestFacts(res: Response): RequestFacts {
  return facts.get(res) ?? beginRequest(res, undefined, performance.now());
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Notes the route that took the request, as its pattern: ids in the path stay out of the log. */
export function noteRoute(req: Request, res: Response): void {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') requestFacts(res).route = `${req.method} ${req.baseUrl}${path}`;
}

/**
 * Notes who called and which AI the request is about: a key's own AI, else the AI the path or the
 * seed's body names, if it is shaped like one (it is the client's word, checked later).
 */
export function noteCaller(req: Request, res: Response, principal: Principal): void {
  const f = requestFacts(res);
  f.caller = principal.kind;
  if (principal.kind === 'ai_key') {
    f.aiUuid = principal.aiUuid;
    return;
  }
  const named: unknown = req.params.ai_uuid ?? (req.body as { ai_uuid?: unknown } | undefined)?.ai_uuid;
  if (typeof named === 'string' && UUID.test(named)) f.aiUuid = named.toLowerCase();
}
