/**
 * @module errors — what the SDK throws. An HTTP error status maps to one class by a table (as
 * openai-node's APIError.generate does); a request that never got an answer is an
 * APIConnectionError carrying the cause.
 */
import type { ERROR_STATUS, ErrorBody, ErrorCode } from '@memory-weaver/protocol';

/**
 * The status each code is answered with. The protocol's ERROR_STATUS is the source: this copy must
 * equal it (`satisfies` fails the type check on a missing, extra or different code), and exists because importing the
 * value would bundle the protocol's schemas, and zod with them, into the SDK (~700 KB).
 */
const STATUS_OF_CODE = {
  invalid_json: 400,
  invalid_argument: 400,
  unauthenticated: 401,
  key_revoked: 401,
  permission_denied: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  already_exists: 409,
  idempotency_key_reused: 409,
  resync_required: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  upstream_error: 502,
  unavailable: 503,
  upstream_timeout: 504,
} as const satisfies typeof ERROR_STATUS;

export class MemoryWeaverError extends Error {
  override name = 'MemoryWeaverError';
}

export class APIError extends MemoryWeaverError {
  override name = 'APIError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'unknown',
    message: string,
    readonly details: unknown,
  ) {
    super(`${status} ${code}: ${message}`);
  }

  static generate(status: number, body: unknown): APIError {
    const error = (body as Partial<ErrorBody> | undefined)?.error;
    const code = error?.code ?? 'unknown';
    const message = error?.message ?? 'the server answered without an error body';
    const Class = CODE_CLASSES[code] ?? STATUS_CLASSES[status] ?? (status >= 500 ? InternalServerError : APIError);
    return new Class(status, code, message, error?.details ?? null);
  }

  /**
   * An error that arrived inside a stream, after the 200 was sent: it gets the class and status its
   * code is answered with elsewhere (ERROR_STATUS), so callers handle it as they would that answer.
   */
  static fromCode(code: string, message: string, details: unknown): APIError {
    const status = (STATUS_OF_CODE as Record<string, number | undefined>)[code] ?? 500;
    return APIError.generate(status, { error: { code, message, details } });
  }
}

export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}
/** The key was revoked or rotated away: a new one has to come from an administrator. */
export class KeyRevokedError extends AuthenticationError {
  override name = 'KeyRevokedError';
}
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
}
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}
export class MethodNotAllowedError extends APIError {
  override name = 'MethodNotAllowedError';
}
export class ConflictError extends APIError {
  override name = 'ConflictError';
}
/** The Idempotency-Key was used before with another request: a bug in the caller, never retried. */
export class IdempotencyKeyReusedError extends ConflictError {
  override name = 'IdempotencyKeyReusedError';
}
export class PayloadTooLargeError extends APIError {
  override name = 'PayloadTooLargeError';
}
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
}
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}
/** The chat model failed (502) or didn't answer in time (504). */
export class UpstreamError extends InternalServerError {
  override name = 'UpstreamError';
}
export class ServiceUnavailableError extends InternalServerError {
  override name = 'ServiceUnavailableError';
}

const STATUS_CLASSES: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  405: MethodNotAllowedError,
  409: ConflictError,
  413: PayloadTooLargeError,
  415: BadRequestError,
  429: RateLimitError,
  502: UpstreamError,
  503: ServiceUnavailableError,
  504: UpstreamError,
};

/** Codes more specific than their status. */
const CODE_CLASSES: Partial<Record<string, typeof APIError>> = {
  key_revoked: KeyRevokedError,
  idempotency_key_reused: IdempotencyKeyReusedError,
};

export class APIConnectionError extends MemoryWeaverError {
  override name = 'APIConnectionError';
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}
/** No answer within the client's `timeoutMs` (after its retries). */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = 'APIConnectionTimeoutError';
}
