/**
 * @module tests/support/http — a small typed HTTP client for the API, and assertions that show the
 * body. Every answer `call()` receives is checked against the route table's schemas (contract.ts).
 */
import { expect } from 'vitest';
import type { ErrorBody, ErrorCode, HandshakeResponse } from '@memory-weaver/protocol';
import { assertContract } from './contract.js';
import { API_URL, adminIdToken } from './emulators.js';

/**
 * A parsed JSON body as a test reads it: any field may be read, and the assertions that follow are
 * the type check (the reason eslint.config.js turns the no-unsafe-* rules off for tests).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reason: the one place tests declare a body as any, see above
export type Json = any;

/** What `newAi` hands back: the handshake's answer, with the key it shows this once. */
export type AiSession = HandshakeResponse & { api_key: string };

export interface Reply<T = Json> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export interface CallOptions {
  token?: string | undefined;
  body?: unknown;
  /** Sent as is, instead of JSON.stringify(body). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Another server than the emulated API, e.g. the `url` of startApp(). */
  baseUrl?: string;
  /**
   * Whether the answer is checked against the route table's schemas (contract.ts); on by default.
   * Off only for a test that makes the API answer something broken on purpose.
   */
  contract?: boolean;
}

export async function call<T = Json>(method: string, path: string, opts: CallOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let payload: string | undefined;
  if (opts.rawBody !== undefined) payload = opts.rawBody;
  else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${opts.baseUrl ?? API_URL}${path}`, {
    method,
    headers,
    ...(payload !== undefined ? { body: payload } : {}),
  });
  const text = await res.text();
  if (opts.contract !== false) assertContract(method, path, res.status, res.headers.get('content-type'), text);
  let body: Json = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text so assertions can show it
  }
  return { status: res.status, body, headers: res.headers, text };
}

export const post = <T = Json>(path: string, body: unknown, token?: string, headers?: Record<string, string>) =>
  call<T>('POST', path, { body, token, ...(headers ? { headers } : {}) });

/** Asserts the status, printing the body when it is wrong. */
export function expectStatus(reply: Reply, status: number): void {
  expect(reply.status, `unexpected status; body: ${reply.text.slice(0, 2000)}`).toBe(status);
}

/** Asserts an error reply has the status, the code and the `{ error: { code, message, details } }` shape. */
export function expectError(reply: Reply<ErrorBody>, status: number, code: ErrorCode): void {
  expectStatus(reply, status);
  expect(reply.body.error.code).toBe(code);
  expect(typeof reply.body.error.message).toBe('string');
  expect(reply.body.error).toHaveProperty('details');
  expect(reply.text).not.toMatch(/at .+\.(js|ts):\d+|Error:|FirebaseError|grpc/i);
}

/** An administrator creates an AI through the handshake. */
export async function newAi(name = `ai-${Math.random().toString(36).slice(2, 8)}`): Promise<AiSession> {
  const reply = await post<HandshakeResponse>('/v1/handshake', { ai_name: name }, await adminIdToken());
  expectStatus(reply, 201);
  if (!reply.body.api_key) throw new Error('handshake returned no api_key');
  return reply.body as AiSession;
}
