/** @module errors — the one error body every endpoint and socket acknowledgement uses. */
import { z } from 'zod';
import { named } from './registry.js';

/** Canonical error codes, each tied to one HTTP status by the API. */
export const ERROR_STATUS = {
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
  /**
   * The relay won't replay this much: read the state through the HTTP API, then join with `since`
   * set to the `last_event_id` in the error's details.
   */
  resync_required: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  upstream_error: 502,
  unavailable: 503,
  upstream_timeout: 504,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;
export const ErrorCodeSchema = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

/** `{ error: { code, message, details, request_id } }`: every HTTP error, whatever the route. */
export const ErrorBodySchema = named(
  'ErrorBody',
  z.strictObject({
    error: z.strictObject({
      code: ErrorCodeSchema,
      message: z.string(),
      /** Machine-readable specifics (e.g. the invalid fields); never internal state. */
      details: z.unknown(),
      /** The request's `x-request-id`: what a client quotes in a bug report. */
      request_id: z.string().optional(),
    }),
  }),
);
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
