/**
 * @module http/requestLog — the app's first middleware: gives the request its id (sent back in
 * `x-request-id` on every response) and writes one structured line when it ends.
 *
 * The line holds only what identifies the call: request id, method, route pattern, AI, caller kind,
 * status and duration. Never the raw path (it holds ids), a body, a query, a header or a credential.
 */
import type { RequestHandler } from 'express';
import { beginRequest } from './requestContext.js';

export interface RequestLogger {
  info(message: string, fields: Record<string, unknown>): void;
}

export function requestLog(log: RequestLogger | null, now: () => number = () => performance.now()): RequestHandler {
  return (req, res, next) => {
    const facts = beginRequest(res, req.get('x-request-id'), now());
    res.set('x-request-id', facts.id);
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      log?.info('request', {
        request_id: facts.id,
        method: req.method,
        route: facts.route,
        ai_uuid: facts.aiUuid,
        caller: facts.caller ?? 'anonymous',
        status: res.statusCode,
        duration_ms: Math.round((now() - facts.startedAt) * 10) / 10,
        // The client went away before the whole answer was sent (the status is what was meant).
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    };
    res.once('finish', write);
    res.once('close', write);
    next();
  };
}
