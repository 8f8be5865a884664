/**
 * @module errors — what the SDK throws. An HTTP error status maps to one class by a table (as
 * openai-node's APIError.generate does); a request that never got an answer is an
 * APIConnectionError carrying the cause.
 */
import type { ErrorBody, ErrorCode } from '@memory-weaver/protocol';

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
    const Class = STATUS_CLASSES[status] ?? (status >= 500 ? InternalServerError : APIError);
    return new Class(status, code, message, error?.details ?? null);
  }
}

export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
}
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}
export class ConflictError extends APIError {
  override name = 'ConflictError';
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

const STATUS_CLASSES: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
  415: BadRequestError,
  429: RateLimitError,
};

export class APIConnectionError extends MemoryWeaverError {
  override name = 'APIConnectionError';
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}
