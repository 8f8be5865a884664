/**
 * @module tests/fuzz/knownDefects — defects the fuzzer found that the server doesn't handle yet,
 * each with the input class that shows it, so the main fuzz files can keep passing while
 * known-defects.test.ts keeps failing on the exact inputs until the server is fixed.
 *
 * How the main files treat a request in a defect's class:
 * - `excuse`: it is sent, and every property is checked except that a 500 `internal` (and the
 *   error it logs) counts as a hit of this defect instead of a failure; a refusal must still
 *   change nothing and the body must still show nothing internal.
 * - `sanitize`: it is sent with the offending part replaced (the defect costs seconds a request).
 * - `skip`: it is not sent (the defect costs seconds a request and can't be worked around).
 *
 * When a defect is fixed, delete its entry here: the main files then cover its class again.
 */
import type { ResolvedRequest } from './requests.js';

export interface KnownDefect {
  id: string;
  what: string;
  /** The server code at fault. */
  where: string;
  handling: 'excuse' | 'sanitize' | 'skip';
  matches(req: ResolvedRequest, endpoint: string): boolean;
}

const header = (req: ResolvedRequest, name: string): string | undefined =>
  req.wire.headers.find(([k]) => k === name)?.[1];

const pathOnly = (req: ResolvedRequest): string => req.wire.path.split('?')[0] ?? '';

const queryValues = (req: ResolvedRequest, name: string): string[] => {
  const query = req.wire.path.includes('?') ? req.wire.path.slice(req.wire.path.indexOf('?') + 1) : '';
  return query.split('&').flatMap((pair) => {
    const [k = '', v = ''] = pair.split('=');
    try {
      return decodeURIComponent(k) === name ? [decodeURIComponent(v)] : [];
    } catch {
      return [];
    }
  });
};

const undecodable = (segment: string): boolean => {
  try {
    decodeURIComponent(segment);
    return false;
  } catch {
    return true;
  }
};

/** A lone surrogate as `JSON.stringify` escapes it (a high one not followed by a low one, or a low one alone). */
const LONE_SURROGATE_ESCAPE =
  /\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f][0-9a-f]{2})|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/gi;

/** Endpoints whose body text is stored (memories, names, settings, chat turns). */
const STORES_TEXT = new Set([
  'POST /v1/handshake',
  'POST /create_memory',
  'POST /edit_memory',
  'POST /v1/ais',
  'PATCH /v1/ais/{ai_uuid}',
  'POST /v1/ais/{ai_uuid}/memories/{memory_type}',
  'PATCH /v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}',
  'POST /v1/chat/completions',
]);

/** How deep a JSON text nests (brackets outside strings). */
function nesting(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') max = Math.max(max, ++depth);
    else if (ch === ']' || ch === '}') depth--;
  }
  return max;
}

/** A page cursor of the API's form whose document id Firestore refuses as a plain id. */
function badCursorId(cursor: string): boolean {
  try {
    const { id } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { id?: unknown };
    return typeof id === 'string' && (id.includes('/') || /^__.*__$/.test(id) || id === '.' || id === '..');
  } catch {
    return false;
  }
}

/** Timestamps Firestore can hold: 0001-01-01 to 9999-12-31. */
const FIRST_TIMESTAMP = Date.parse('0001-01-01T00:00:00Z');
const LAST_TIMESTAMP = Date.parse('9999-12-31T23:59:59.999Z');
const outOfTimestampRange = (iso: string): boolean => {
  const t = Date.parse(iso);
  return Number.isFinite(t) && (t < FIRST_TIMESTAMP || t > LAST_TIMESTAMP);
};

export const KNOWN_DEFECTS: KnownDefect[] = [
  {
    id: 'content-encoding',
    what: 'a body sent with `Content-Encoding: gzip` or `deflate` that does not inflate answers 500 internal',
    where:
      'functions/src/http/errors.ts toApiError: body-parser raises a 400 without a `type` for zlib errors, which falls through to `internal`',
    handling: 'excuse',
    matches: (req) => req.wire.body !== undefined && /gzip|deflate/i.test(header(req, 'content-encoding') ?? ''),
  },
  {
    id: 'path-escape',
    what: 'a path parameter with a percent-escape that is not UTF-8 (`/v1/ais/%ZZ`, `…/memories/%ED%A0%80`) answers 500 internal',
    where:
      'functions/src/http/errors.ts toApiError: Express `decode_param` throws a URIError with status 400, which falls through to `internal`',
    handling: 'excuse',
    matches: (req) => pathOnly(req).split('/').some(undecodable),
  },
  {
    id: 'lone-surrogate',
    what: 'a lone surrogate (`"\\ud800"`) in stored text (content, metadata keys or values, ai_name, instructions, chat messages) answers 500 internal, after ~8 s for memory writes',
    where:
      'packages/protocol/src/memory.ts and ai.ts / chat.ts: the schemas accept strings that are not well-formed UTF-16, and Firestore refuses them (the emulator: "2 UNKNOWN: Application error processing RPC")',
    handling: 'sanitize',
    matches: (req, endpoint) =>
      STORES_TEXT.has(endpoint) &&
      req.bodyText !== undefined &&
      new RegExp(LONE_SURROGATE_ESCAPE.source, 'i').test(req.bodyText),
  },
  {
    id: 'cursor-id',
    what: 'a page cursor (base64url JSON) whose id has a "/" or is reserved (`__x__`) answers 500 internal, after ~7 s for a reserved id',
    where:
      'packages/core/src/cursor.ts decodeCursor accepts any id of 1–128 characters; listMemories.ts:45, sessions.ts and readAis.ts:39 pass it to startAfter',
    handling: 'skip',
    matches: (req) => queryValues(req, 'cursor').some(badCursorId),
  },
  {
    id: 'date-range',
    what: '`created_after`/`created_before` outside 0001–9999 (e.g. `0000-01-01T00:00:00Z`) answers 500 internal',
    where:
      'functions/src/memory/listMemories.ts:35-36 Timestamp.fromDate throws a RangeError; ListMemoriesQuerySchema accepts any ISO date',
    handling: 'excuse',
    matches: (req) => ['created_after', 'created_before'].some((k) => queryValues(req, k).some(outOfTimestampRange)),
  },
  {
    id: 'deep-json',
    what: 'a body nested some thousands deep (in metadata, or anywhere with an Idempotency-Key) answers 500 internal (stack overflow)',
    where:
      'packages/protocol/src/memory.ts:18 byteLength (JSON.stringify in MetadataSchema) and functions/src/http/idempotency.ts:96 stableJson recurse without a bound',
    handling: 'excuse',
    matches: (req) => req.bodyText !== undefined && nesting(req.bodyText) > 1_000,
  },
];

export interface Steering {
  /** The request to send (sanitized if a `sanitize` defect applied). */
  req: ResolvedRequest;
  /** Defects whose 500 this request may show. */
  excused: KnownDefect[];
  /** A `skip` defect applies: don't send it. */
  skip: KnownDefect | undefined;
  sanitized: KnownDefect[];
}

/** Applies the known defects' handling to a request. */
export function steer(req: ResolvedRequest, endpoint: string): Steering {
  const hits = KNOWN_DEFECTS.filter((d) => d.matches(req, endpoint));
  let out = req;
  const sanitized = hits.filter((d) => d.handling === 'sanitize');
  if (sanitized.length > 0 && req.bodyText !== undefined) {
    const bodyText = req.bodyText.replace(LONE_SURROGATE_ESCAPE, '\\ufffd');
    const body = Buffer.from(bodyText, 'utf8');
    out = {
      ...req,
      bodyText,
      wire: { ...req.wire, body },
      sentText: req.sentText.replace(req.bodyText, bodyText),
    };
  }
  return {
    req: out,
    excused: hits.filter((d) => d.handling === 'excuse'),
    skip: hits.find((d) => d.handling === 'skip'),
    sanitized,
  };
}

/**
 * The relay's side of the same class: a `message` payload is stored as it is in the AI's
 * `relay_messages`, so one Firestore can't store answers `internal`. Firestore refuses strings
 * with a lone surrogate, empty or reserved (`__x__`) field names, an array directly inside an
 * array, and nesting deeper than 20. The main socket property excuses (and counts) `internal`
 * for exactly those payloads; known-defects.test.ts shows one.
 */
export const RELAY_MESSAGE_DEFECT = {
  id: 'relay-message-unstorable',
  what: 'a relay `message` whose payload Firestore can\'t store (a lone surrogate, a key "" or "__x__", [[1]], nesting > 20) is acknowledged with `internal`',
  where:
    'relay/src/messages.ts publish stores the payload as it is; MessageSchema (packages/protocol/src/socket.ts) checks only its size',
};

/**
 * An event emitted with an acknowledgement callback and no payload (`socket.emitWithAck('heartbeat')`,
 * which the protocol's types allow for `heartbeat`) is never acknowledged: the relay takes the
 * callback for the payload, refuses it as invalid, and has no callback to answer on. The main
 * socket property sends such events with an explicit `undefined` payload instead (and counts them).
 */
export const RELAY_ACK_ONLY_DEFECT = {
  id: 'relay-ack-without-payload',
  what: 'an event emitted with only an ack callback (no payload) is never acknowledged: the client waits forever',
  where:
    'relay/src/ack.ts: the handler of a client event takes its first argument as the payload and its second as the ack, so an ack sent alone is taken for the payload (at HEAD in acking(), `socket.on(event, async (payload, ack) => …)`; in the relay work in progress in connection.ts, `socket.onAny((event, payload, ack) => dispatch(…))`). The ack is the last argument when it is a function',
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether Firestore would refuse to store `value` as a document field (see RELAY_MESSAGE_DEFECT). */
export function unstorable(value: unknown, depth = 0, inArray = false): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return false;
  if (depth > 20) return true;
  if (Array.isArray(value)) return inArray || value.some((v) => unstorable(v, depth + 1, true));
  return Object.entries(value).some(
    ([k, v]) => k === '' || /^__.*__$/.test(k) || LONE_SURROGATE.test(k) || unstorable(v, depth + 1, false),
  );
}
