/**
 * @module http/body — JSON bodies only, up to a size limit.
 *
 * Under Cloud Functions (and its emulator) the platform has already parsed the body before the
 * app sees it and keeps the bytes in `req.rawBody`; `express.json` then leaves it alone. So the
 * size limit is checked here against those bytes too, not only by the parser, and the parsed
 * value is checked after whichever parser made it: no lone surrogate, bounded nesting (see the
 * protocol's `json` module for why).
 */
import express, { type RequestHandler } from 'express';
import { ApiError } from '@memory-weaver/core';
import { jsonProblem, MAX_JSON_DEPTH } from '@memory-weaver/protocol';

export const MAX_BODY_BYTES = 512 * 1024;

const hasBody = (req: Parameters<RequestHandler>[0]): boolean =>
  Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;

export function jsonBody(): RequestHandler[] {
  const guard: RequestHandler = (req, _res, next) => {
    const raw = (req as { rawBody?: unknown }).rawBody;
    const size = Buffer.isBuffer(raw) ? raw.length : Number(req.get('content-length') ?? 0);
    if (size > MAX_BODY_BYTES) {
      next(
        new ApiError('payload_too_large', `the request body is larger than ${MAX_BODY_BYTES} bytes`, {
          max_bytes: MAX_BODY_BYTES,
        }),
      );
      return;
    }
    if (hasBody(req) && !req.is('application/json')) {
      next(new ApiError('unsupported_media_type', 'send the request body as application/json'));
      return;
    }
    next();
  };
  const wellFormed: RequestHandler = (req, _res, next) => {
    const problem = hasBody(req) ? jsonProblem(req.body as unknown) : null;
    if (problem) {
      next(
        new ApiError('invalid_json', `the request body is not JSON we take: ${problem.message}`, {
          path: problem.path,
          max_depth: MAX_JSON_DEPTH,
        }),
      );
      return;
    }
    next();
  };
  return [guard, express.json({ limit: MAX_BODY_BYTES, strict: true }), wellFormed];
}
