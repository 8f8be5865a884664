/**
 * @module tests/fuzz/oracle — what every answer must satisfy, whatever was asked: the properties
 * of the fuzz tier, as functions that throw a readable error naming the broken rule.
 */
import { ERROR_STATUS, type ErrorCode } from '@memory-weaver/protocol';
import type { WireReply } from './wire.js';

/** A stack frame, an error's class name or a transport detail (the same pattern as `expectError`). */
export const LEAK = /at .+\.(js|ts):\d+|Error:|FirebaseError|grpc/i;

/** The bodies the API takes, at most (README: 413 `payload_too_large` over 512 KiB). */
export const MAX_BODY_BYTES = 512 * 1024;

/** A broken property: the message says which, the fuzzer adds the request. */
export class PropertyBroken extends Error {
  constructor(rule: string, detail = '') {
    super(detail ? `${rule}: ${detail}` : rule);
    this.name = 'PropertyBroken';
  }
}

const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && Object.hasOwn(ERROR_STATUS, code);

/** The body of an error in the API's one shape, or a PropertyBroken saying how it isn't. */
export function errorShape(status: number, text: string): { code: ErrorCode; message: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new PropertyBroken('a 4xx must be the JSON error shape', 'the body is not JSON');
  }
  const error = (body as { error?: unknown } | null)?.error as Record<string, unknown> | undefined;
  if (typeof error !== 'object' || Array.isArray(error)) {
    throw new PropertyBroken('a 4xx must be the JSON error shape', 'no `error` object');
  }
  if (!isErrorCode(error.code)) {
    throw new PropertyBroken('a 4xx must be the JSON error shape', `unknown code ${JSON.stringify(error.code)}`);
  }
  if (typeof error.message !== 'string') throw new PropertyBroken('a 4xx must be the JSON error shape', 'no message');
  if (!('details' in error)) throw new PropertyBroken('a 4xx must be the JSON error shape', 'no details');
  if (ERROR_STATUS[error.code] !== status) {
    throw new PropertyBroken('the status must be the code’s', `${error.code} is ${ERROR_STATUS[error.code]}`);
  }
  return { code: error.code, message: error.message };
}

export interface ReplyContext {
  /** Everything the request sent, as text: a leak check is void when the request spells the pattern itself. */
  sentText: string;
  /** The body's size in bytes, if it had one. */
  bodyBytes: number | undefined;
  /** HEAD answers carry no body. */
  method: string;
  /**
   * The request went through the Hosting and Functions emulators with a body: the platform parses
   * it before the app runs and refuses what it can't parse (malformed JSON, a content-encoding it
   * can't undo) with its own page (README, "Malformed JSON on the platform"), whose shape is not
   * the app's to choose. Only that page is excused from the shape check, not from the leak check.
   */
  platformParsesBody: boolean;
}

/** Whether the request itself contains the leak pattern, which would make the check meaningless. */
export const requestSpellsLeak = (ctx: ReplyContext): boolean => LEAK.test(ctx.sentText);

/**
 * The per-answer properties: no 5xx but a 429/503 that says when to retry, no internal detail,
 * every 4xx in the JSON error shape with its code's status, and an oversized body refused as 413.
 */
export function checkReply(reply: WireReply, ctx: ReplyContext): void {
  const { status, text } = reply;
  if (status >= 500 && status !== 503) throw new PropertyBroken('never a 5xx', `status ${status}`);
  if ((status === 503 || status === 429) && reply.headers['retry-after'] === undefined) {
    throw new PropertyBroken('a 429 or 503 must say when to retry', 'no Retry-After');
  }
  if (!requestSpellsLeak(ctx)) {
    const leak = LEAK.exec(text);
    if (leak) throw new PropertyBroken('nothing internal in a body', `it contains ${JSON.stringify(leak[0])}`);
  }
  if (ctx.method === 'HEAD') return;
  if (ctx.bodyBytes !== undefined && ctx.bodyBytes > MAX_BODY_BYTES && status !== 413) {
    throw new PropertyBroken('a body over 512 KiB is a 413', `${ctx.bodyBytes} bytes answered ${status}`);
  }
  if (status >= 400) {
    if (ctx.platformParsesBody && isPlatformRefusal(reply)) return;
    errorShape(status, text);
    return;
  }
  const type = reply.headers['content-type'] ?? '';
  if (type.startsWith('text/event-stream')) checkEventStream(text);
  else if (type.startsWith('application/json')) {
    try {
      JSON.parse(text);
    } catch {
      throw new PropertyBroken('a JSON answer must be JSON', text.slice(0, 200));
    }
  }
}

/** The Functions emulator's own refusal of a body: Express's HTML error page with the status's name only. */
const isPlatformRefusal = (reply: WireReply): boolean =>
  [400, 413, 415].includes(reply.status) &&
  (reply.headers['content-type'] ?? '').startsWith('text/html') &&
  /<pre>(Bad Request|Payload Too Large|Unsupported Media Type)<\/pre>/.test(reply.text);

/** A 200 stream reports a failure as an `error` event; an `internal` one is a 500 in disguise. */
function checkEventStream(text: string): void {
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: {')) continue;
    const data = JSON.parse(line.slice('data: '.length)) as { error?: { code?: unknown } };
    if (data.error && (data.error.code === 'internal' || typeof data.error.code !== 'string')) {
      throw new PropertyBroken('a stream must not fail with `internal`', JSON.stringify(data.error));
    }
  }
}
