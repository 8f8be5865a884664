/** @module http/errors — the one Express error handler: every error becomes the API's JSON error body. */
import type { ErrorRequestHandler } from 'express';
import { ApiError } from '@memory-weaver/core';
import { requestFacts } from './requestContext.js';

export interface ErrorLogger {
  error(message: string, fields: Record<string, unknown>): void;
}

/**
 * Renders every error as `{ error: { code, message, details, request_id } }` (`request_id` is also
 * the `x-request-id` header and the request's log line: what a client quotes in a bug report).
 * Errors the app did not mean to throw become a generic 500; their detail goes to the log, never
 * to the client. Express recognises an error handler by its four parameters: keep `_next`.
 */
export function errorHandler(log: ErrorLogger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const apiError = toApiError(err);
    const facts = requestFacts(res);
    const where = { request_id: facts.id, method: req.method, route: facts.route };
    if (err instanceof ApiError && apiError.status >= 500) {
      // A failure we named (an upstream model's, say): worth a line, not a stack.
      log.error('request failed', { ...where, code: apiError.code, message: apiError.message });
    } else if (apiError.status >= 500) {
      log.error('unhandled error', { ...where, error: describeError(err) });
    }
    // A streamed answer (an export) that fails half-way can't change its status any more: cut the
    // connection, so the client sees a broken transfer rather than a complete-looking file.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // A named "come back later" (503 under contention, a 429) tells the client when.
    const retryAfter = (apiError.details as { retry_after_seconds?: unknown } | null)?.retry_after_seconds;
    if (typeof retryAfter === 'number') res.set('retry-after', String(retryAfter));
    res.status(apiError.status).json({
      error: { code: apiError.code, message: apiError.message, details: apiError.details, request_id: facts.id },
    });
  };
}

/** body-parser's own errors carry a `type`; map the ones a client causes. */
function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const type = typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined;
  if (type === 'entity.parse.failed') return new ApiError('invalid_json', 'the request body is not valid JSON');
  if (type === 'entity.too.large') return new ApiError('payload_too_large', 'the request body is too large');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new ApiError('unsupported_media_type', 'the request body must be UTF-8 JSON');
  }
  // Express and body-parser mark other errors a client caused with a 4xx `status` and `expose`:
  // a path escape that isn't UTF-8 (URIError), a gzip header on a body that isn't gzip.
  const marked = typeof err === 'object' && err !== null ? (err as { status?: unknown; expose?: unknown }) : {};
  const clientStatus = typeof marked.status === 'number' && marked.status >= 400 && marked.status < 500;
  if (clientStatus && (marked.expose === true || err instanceof URIError)) {
    return new ApiError('invalid_argument', 'the request could not be read: check its path and body encoding');
  }
  return new ApiError('internal', 'internal error');
}

/** An unexpected error as one log field: its name, message and stack. */
export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err);
}
