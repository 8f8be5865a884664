/** @module http/errors — the one error type the API throws, and the one handler that renders it. */
import type { ErrorRequestHandler } from 'express';
import { ERROR_STATUS, type ErrorCode } from '@memory-weaver/protocol';

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export const invalidArgument = (message: string, details: unknown = null) =>
  new ApiError('invalid_argument', message, details);
export const notFound = (what: string) => new ApiError('not_found', `${what} not found`);
export const unauthenticated = (message: string) => new ApiError('unauthenticated', message);
export const permissionDenied = (message: string) => new ApiError('permission_denied', message);
export const conflict = (message: string, details: unknown = null) => new ApiError('conflict', message, details);

/** gRPC status codes that Firestore errors carry in `code`. */
export const GRPC = { NOT_FOUND: 5, ALREADY_EXISTS: 6, FAILED_PRECONDITION: 9, ABORTED: 10 } as const;
export const grpcCode = (err: unknown): number | undefined =>
  typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number'
    ? (err as { code: number }).code
    : undefined;

export interface ErrorLogger {
  error(message: string, fields: Record<string, unknown>): void;
}

/**
 * Renders every error as `{ error: { code, message, details } }`. Errors the app did not
 * mean to throw become a generic 500; their detail goes to the log, never to the client.
 * Express recognises an error handler by its four parameters: keep `_next`.
 */
export function errorHandler(log: ErrorLogger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const apiError = toApiError(err);
    if (apiError.status >= 500) {
      log.error('unhandled error', { method: req.method, path: req.path, error: describe(err) });
    }
    res.status(apiError.status).json({
      error: { code: apiError.code, message: apiError.message, details: apiError.details },
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
  return new ApiError('internal', 'internal error');
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err);
}

/** Runs a commit; a NOT_FOUND from a write precondition becomes the client's 404 for `what`. */
export async function notFoundOnMissing<T>(commit: Promise<T>, what: string): Promise<T> {
  try {
    return await commit;
  } catch (err) {
    if (grpcCode(err) === GRPC.NOT_FOUND) throw notFound(what);
    throw err;
  }
}
