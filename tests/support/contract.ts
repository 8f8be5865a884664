/**
 * @module tests/support/contract — checks an answer of the API against the route table
 * (packages/protocol/src/routes.ts): the body of a success against the schema of its route and
 * status, an error against the error envelope, a stream's every event against the chunk schema.
 * `call()` (http.ts) runs it on every answer the emulator tests receive, and `contractFetch` does
 * the same for clients that take a `fetch` (the SDK), so a shape that drifts fails the suite.
 */
import { ErrorBodySchema, findRoute, wireRegistry, type RouteSpec } from '@memory-weaver/protocol';

/** What a schema is called in the messages: its registry name, else the route's. */
interface Checkable {
  safeParse(value: unknown): { success: true } | { success: false; error: { issues: unknown[] } };
}

const SEED_PATHS = new Set(['/create_memory', '/edit_memory', '/delete_memory', '/move_memory', '/retrieve_memories']);
/** The emulator-only bench routes (functions/src/routes/bench.ts) are no part of the API's contract. */
const EXCLUDED = /^\/v1\/_bench(\/|$)/;
const isApiPath = (path: string) =>
  !EXCLUDED.test(path) && (path.startsWith('/v1/') || SEED_PATHS.has(path) || path === '/mcp');

function check(schema: Checkable, value: unknown, what: string): string | null {
  const result = schema.safeParse(value);
  if (result.success) return null;
  const name = wireRegistry.get(schema as never)?.id ?? 'its schema';
  return `${what} does not match ${name}: ${JSON.stringify(result.error.issues).slice(0, 1500)}`;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Each `data:` event of a Server-Sent Events body: a chunk, an error event, or `[DONE]`. */
function streamProblem(route: RouteSpec, text: string, what: string): string | null {
  if (!route.stream) return `${what} is a stream, which the route table doesn't say it sends`;
  const events = text.split(/\n\n/).filter((e) => e.trim() !== '');
  for (const [i, event] of events.entries()) {
    const data = event.replace(/^data: /, '');
    if (data === '[DONE]') continue;
    const parsed = parseJson(data);
    if (!parsed.ok) return `${what}: event ${String(i)} is not JSON: ${data.slice(0, 200)}`;
    const isError = typeof parsed.value === 'object' && parsed.value !== null && 'error' in parsed.value;
    const problem = check(isError ? ErrorBodySchema : route.stream, parsed.value, `${what}, event ${String(i)},`);
    if (problem) return problem;
  }
  return null;
}

/**
 * Why this answer breaks the contract, or null. Paths outside the API (the console's files) and
 * answers to HEAD are not the contract's business.
 */
export function contractProblem(
  method: string,
  path: string,
  status: number,
  contentType: string | null,
  text: string,
): string | null {
  const bare = path.split('?')[0] ?? path;
  if (method.toUpperCase() === 'HEAD' || method.toUpperCase() === 'OPTIONS' || !isApiPath(bare)) return null;
  const route = findRoute(method, bare);
  const what = `${method.toUpperCase()} ${route?.path ?? bare} answered ${String(status)}, and its body`;
  if (route && contentType?.startsWith('text/event-stream')) return streamProblem(route, text, what);
  const parsed = parseJson(text);
  if (status >= 400) {
    if (!parsed.ok) return route ? `${what} is not the JSON error envelope: ${text.slice(0, 200)}` : null;
    return check(ErrorBodySchema, parsed.value, what);
  }
  if (!route) return `${method.toUpperCase()} ${bare} answered ${String(status)} but is not in the route table`;
  const schema = route.responses[status];
  if (!schema) {
    return `${what}: ${String(status)} is not among the route table's answers for it (${Object.keys(route.responses).join(', ')})`;
  }
  if (!parsed.ok) return `${what} is not JSON: ${text.slice(0, 200)}`;
  return check(schema, parsed.value, what);
}

/** Throws when the answer breaks the contract (see contractProblem). */
export function assertContract(
  method: string,
  path: string,
  status: number,
  contentType: string | null,
  text: string,
): void {
  const problem = contractProblem(method, path, status, contentType, text);
  if (problem) throw new Error(`contract (packages/protocol/src/routes.ts): ${problem}`);
}

/**
 * A `fetch` that checks every API answer it returns, for clients that take one (the SDK's
 * `fetch` option). The body is read once here from a clone; the caller gets the answer untouched.
 */
export const contractFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const request = new Request(input, init);
  const { pathname, search } = new URL(request.url);
  const type = res.headers.get('content-type');
  // A stream is checked when it has been read whole, which a live follower never does: skip it here.
  if (!type?.startsWith('text/event-stream')) {
    assertContract(request.method, pathname + search, res.status, type, await res.clone().text());
  }
  return res;
};
