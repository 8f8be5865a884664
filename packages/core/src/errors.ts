/** @module errors — the one error type the API and the relay throw, with the canonical codes. */
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

/** Runs a commit; a NOT_FOUND from a write precondition becomes the client's 404 for `what`. */
export async function notFoundOnMissing<T>(commit: Promise<T>, what: string): Promise<T> {
  try {
    return await commit;
  } catch (err) {
    if (grpcCode(err) === GRPC.NOT_FOUND) throw notFound(what);
    throw err;
  }
}
