/**
 * @module tests/fuzz/requests — a fuzzed HTTP request as data: a valid request of one endpoint
 * (built in endpoints.ts from the protocol's schemas) plus a list of mutations, both plain values
 * that fast-check can print and shrink. Anything that only exists at run time (the subject AI's
 * UUID, its memories' ids, the credentials) is a `Sym` in the data and is looked up in the `World`
 * when the request is put on the wire.
 */
import fc from 'fast-check';
import type { MemoryType } from '@memory-weaver/protocol';
import { awkwardText, paddedTo, utf8Bytes, type PadChar } from './strings.js';
import type { WireRequest } from './wire.js';

/** What a `Sym` stands for; resolved against the `World` at run time. */
export type Ref =
  | { kind: 'uuid'; who: 'subject' | 'bystander' }
  | { kind: 'name' }
  /** The id of the subject's `i`-th memory in `tier` (mod how many there are). */
  | { kind: 'memory'; tier: MemoryType; i: number }
  | { kind: 'session'; i: number }
  | { kind: 'event'; i: number }
  /** A credential as a bare string (an API key or ID token), for socket payloads. */
  | { kind: 'credential'; token: Exclude<Token, { literal: string }> };

/** A value that exists only at run time. */
export class Sym {
  constructor(readonly ref: Ref) {}
  [fc.toStringMethod](): string {
    const r = this.ref;
    if (r.kind === 'uuid') return `$${r.who}.uuid`;
    if (r.kind === 'name') return '$subject.name';
    if (r.kind === 'memory') return `$memory(${r.tier},${r.i})`;
    if (r.kind === 'credential') return `$${r.token}`;
    return `$${r.kind}(${r.i})`;
  }
}

/** A long string, made at run time so that a counterexample prints as `Big(…)`, not 100 KB of it. */
export class Big {
  constructor(
    readonly chars: number,
    readonly pad: PadChar,
  ) {}
  [fc.toStringMethod](): string {
    return `Big(${this.chars}, ${JSON.stringify(this.pad)})`;
  }
}

/** Arrays (or objects) nested `depth` deep, made at run time. */
export class Deep {
  constructor(
    readonly depth: number,
    readonly as: 'array' | 'object',
  ) {}
  [fc.toStringMethod](): string {
    return `Deep(${this.depth}, ${this.as})`;
  }
}

export const sym = (ref: Ref): Sym => new Sym(ref);
export const SUBJECT_UUID = sym({ kind: 'uuid', who: 'subject' });
export const BYSTANDER_UUID = sym({ kind: 'uuid', who: 'bystander' });
export const SUBJECT_NAME = sym({ kind: 'name' });

/** A path segment: a trusted literal, a run-time value, text to percent-encode, or bytes sent as they are. */
export type Seg = string | Sym | { text: string } | { raw: string };

/** Which credential an `Authorization` header carries. */
export type Token =
  | 'subject_key'
  | 'bystander_key'
  | 'admin'
  /** A signed-in user without the `admin` claim. */
  | 'user'
  /** The key an AI had before its rotation. */
  | 'revoked_key'
  /** The subject's key id with a secret of the right shape that isn't its secret. */
  | 'wrong_secret'
  | { literal: string };

export type Auth = { none: true } | { scheme: string; token: Token; suffix: string };

export type BodyPart =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  /** Sent as it is: not JSON, or JSON cut short. */
  | { kind: 'text'; text: string };

/** A request before mutation: what endpoints.ts builds from the protocol's schemas. */
export interface ValidRequest {
  endpoint: string;
  method: string;
  path: Seg[];
  query: [string, string | Sym][];
  body: BodyPart;
  auth: Auth;
}

export type Mutation =
  | { on: 'body'; op: 'drop'; at: number }
  | { on: 'body'; op: 'replace'; at: number; value: unknown }
  | { on: 'body'; op: 'add'; key: string; value: unknown }
  | { on: 'body'; op: 'whole'; value: unknown }
  | { on: 'body'; op: 'text'; text: string }
  | { on: 'body'; op: 'truncate'; at: number }
  | { on: 'body'; op: 'none' }
  /** Sets the field at `at` to a string that makes the body exactly `bytes` bytes long. */
  | { on: 'body'; op: 'pad'; at: number; bytes: number; pad: PadChar }
  | { on: 'path'; op: 'replace'; at: number; seg: Seg }
  | { on: 'path'; op: 'append'; seg: Seg }
  | { on: 'query'; op: 'set'; key: string; value: string }
  | { on: 'query'; op: 'drop'; at: number }
  | { on: 'query'; op: 'raw'; raw: string }
  /** null: leave the header out. */
  | { on: 'header'; name: string; value: string | null }
  | { on: 'auth'; auth: Auth }
  | { on: 'method'; method: string };

export interface FuzzCase {
  valid: ValidRequest;
  mutations: Mutation[];
}

/** What resolving a request needs to know about the running system. */
export interface World {
  subject: { uuid: string; name: string; key: string };
  bystander: { uuid: string; key: string };
  adminToken: string;
  userToken: string;
  revokedKey: string;
  /** The subject's stored ids, from the latest snapshot. */
  ids: { memories: Record<MemoryType, string[]>; sessions: string[]; events: string[] };
}

export function resolveSym(world: World, s: Sym): string {
  const r = s.ref;
  const pick = (list: string[], i: number, fallback: string) =>
    list.length ? (list[i % list.length] as string) : fallback;
  switch (r.kind) {
    case 'uuid':
      return r.who === 'subject' ? world.subject.uuid : world.bystander.uuid;
    case 'name':
      return world.subject.name;
    case 'memory':
      return pick(world.ids.memories[r.tier], r.i, `no-memory-${r.i}`);
    case 'session':
      return pick(world.ids.sessions, r.i, `no-session-${r.i}`);
    case 'event':
      return pick(world.ids.events, r.i, '000000000001');
    case 'credential':
      return tokenValue(world, r.token);
  }
}

function bigString(b: Big): string {
  // `chars` UTF-16 units of the pad character (an astral one counts two), so that schema limits,
  // which count UTF-16 units, are met or missed exactly.
  const unit = b.pad.length;
  return b.pad.repeat(Math.floor(b.chars / unit)) + 'x'.repeat(b.chars % unit);
}

/** The template with every `Sym` and `Big` replaced by its value (for checking valid requests; no `Deep`). */
export function resolveValue(world: World, value: unknown): unknown {
  if (value instanceof Sym) return resolveSym(world, value);
  if (value instanceof Big) return bigString(value);
  if (value instanceof Deep) throw new Error('a valid request holds no Deep value');
  if (Array.isArray(value)) return value.map((v) => resolveValue(world, v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveValue(world, v);
    return out;
  }
  return value;
}

/**
 * The template as the value a socket sends: every `Sym`, `Big` and `Deep` made real (a `Deep`
 * built without recursion), typed arrays kept as they are (Socket.IO sends them as binary).
 */
export function materialize(world: World, value: unknown): unknown {
  if (value instanceof Sym) return resolveSym(world, value);
  if (value instanceof Big) return bigString(value);
  if (value instanceof Deep) {
    let v: unknown = 'bottom';
    for (let i = 0; i < value.depth; i++) v = value.as === 'array' ? [v] : { d: v };
    return v;
  }
  if (ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map((v) => materialize(world, v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = materialize(world, v);
    return out;
  }
  return value;
}

/** `JSON.stringify` as it really is: `undefined` (and functions) give undefined. */
const stringify = JSON.stringify as (value: unknown) => string | undefined;

/**
 * The template as JSON text, as `JSON.stringify` would write its resolved value. Written here
 * rather than by `JSON.stringify` because a `Deep` value can be nested further than
 * `JSON.stringify` can recurse: it is written as text.
 */
export function toJson(world: World, value: unknown): string | undefined {
  if (value instanceof Sym) return JSON.stringify(resolveSym(world, value));
  if (value instanceof Big) return JSON.stringify(bigString(value));
  if (value instanceof Deep) {
    const [open, close] = value.as === 'array' ? ['[', ']'] : ['{"d":', '}'];
    return `${open.repeat(value.depth)}"bottom"${close.repeat(value.depth)}`;
  }
  // Binary (socket payloads) counts as its bytes in base64, about what a frame carries.
  if (ArrayBuffer.isView(value)) return JSON.stringify(Buffer.from(value.buffer).toString('base64'));
  if (Array.isArray(value)) return `[${value.map((v) => toJson(world, v) ?? 'null').join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value).flatMap(([k, v]) => {
      const json = toJson(world, v);
      return json === undefined ? [] : [`${JSON.stringify(k)}:${json}`];
    });
    return `{${fields.join(',')}}`;
  }
  return stringify(value);
}

/** Every path to a node below the root of a JSON template (objects' keys and arrays' indexes). */
export function nodePaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value instanceof Sym || value instanceof Big || value instanceof Deep || ArrayBuffer.isView(value)) return [];
  const out: (string | number)[][] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push([...prefix, i], ...nodePaths(v, [...prefix, i])));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...nodePaths(v, [...prefix, k]));
  }
  return out;
}

/** A copy of `root` with the node at `path` replaced (or removed when `value` is `REMOVE`). */
export const REMOVE = Symbol('remove');
export function withNode(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(root)) {
    const copy = [...root] as unknown[];
    const next = withNode(copy[head as number], rest, value);
    if (next === REMOVE) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  const copy = { ...(root as Record<string, unknown>) };
  const next = withNode(copy[head], rest, value);
  if (next === REMOVE) Reflect.deleteProperty(copy, head);
  else copy[head] = next;
  return copy;
}

/** The request a case describes, mutations applied, still symbolic. */
export function applyMutations(c: FuzzCase): ValidRequest & {
  headers: Map<string, string | null>;
  rawQuery: string[];
  pads: { at: (string | number)[]; bytes: number; pad: PadChar }[];
  /** Cut the JSON text short (mod its length): a valid body cut before its end is not JSON. */
  truncateAt: number | undefined;
} {
  const r = {
    ...c.valid,
    path: [...c.valid.path],
    query: [...c.valid.query],
    headers: new Map<string, string | null>(),
    rawQuery: [] as string[],
    pads: [] as { at: (string | number)[]; bytes: number; pad: PadChar }[],
    truncateAt: undefined as number | undefined,
  };
  for (const m of c.mutations) {
    switch (m.on) {
      case 'body': {
        if (m.op === 'none') r.body = { kind: 'none' };
        else if (m.op === 'text') r.body = { kind: 'text', text: m.text };
        else if (m.op === 'whole') r.body = { kind: 'json', value: m.value };
        else if (r.body.kind === 'json') {
          const paths = nodePaths(r.body.value);
          const root = r.body.value;
          if (m.op === 'add') {
            if (root !== null && typeof root === 'object' && !Array.isArray(root)) {
              r.body = { kind: 'json', value: { ...(root as Record<string, unknown>), [m.key]: m.value } };
            }
          } else if (m.op === 'truncate') {
            r.truncateAt = m.at;
          } else if (paths.length > 0) {
            const at = paths[m.at % paths.length] as (string | number)[];
            if (m.op === 'drop') r.body = { kind: 'json', value: withNode(root, at, REMOVE) };
            else if (m.op === 'replace') r.body = { kind: 'json', value: withNode(root, at, m.value) };
            else r.pads.push({ at, bytes: m.bytes, pad: m.pad });
          } else if (m.op === 'pad') {
            r.pads.push({ at: [], bytes: m.bytes, pad: m.pad });
          }
        }
        break;
      }
      case 'path':
        if (m.op === 'append') r.path.push(m.seg);
        else if (r.path.length > 0) r.path[m.at % r.path.length] = m.seg;
        break;
      case 'query':
        if (m.op === 'set') r.query.push([m.key, m.value]);
        else if (m.op === 'raw') r.rawQuery.push(m.raw);
        else if (r.query.length > 0) r.query.splice(m.at % r.query.length, 1);
        break;
      case 'header':
        r.headers.set(m.name, m.value);
        break;
      case 'auth':
        r.auth = m.auth;
        break;
      case 'method':
        r.method = m.method;
        break;
    }
  }
  return r;
}

/**
 * Percent-encodes text for a path or query, lone surrogates included: `encodeURIComponent` throws
 * on those, so each becomes the bytes a naive encoder would produce (`%ED%A0%80`), which are not
 * UTF-8 and which the server must refuse cleanly.
 */
export function percentEncode(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += `%${(0xe0 | (code >> 12)).toString(16).toUpperCase()}%${(0x80 | ((code >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
    } else {
      out += encodeURIComponent(ch);
    }
  }
  return out;
}

/** Keeps a raw value within what `node:http` will put on the wire (see wire.ts). */
const wireSafePath = (raw: string): string =>
  raw.replace(/[^\u0021-\u00ff]/g, (ch) => percentEncode(ch)).replace(/[\u0080-\u00ff]/g, (ch) => percentEncode(ch));
export const wireSafeHeader = (value: string): string =>
  value.replace(/[^\t\u0020-\u007e\u0080-\u00ff]/g, '?').replace(/^[\t ]+|[\t ]+$/g, '');

function segment(world: World, s: Seg): string {
  if (typeof s === 'string') return s;
  if (s instanceof Sym) return percentEncode(resolveSym(world, s));
  if ('text' in s) return percentEncode(s.text);
  return wireSafePath(s.raw);
}

function tokenValue(world: World, token: Token): string {
  if (typeof token === 'object') return token.literal;
  switch (token) {
    case 'subject_key':
      return world.subject.key;
    case 'bystander_key':
      return world.bystander.key;
    case 'admin':
      return world.adminToken;
    case 'user':
      return world.userToken;
    case 'revoked_key':
      return world.revokedKey;
    case 'wrong_secret':
      return `${world.subject.key.split('.')[0] ?? ''}.${'A'.repeat(43)}`;
  }
}

export interface ResolvedRequest {
  wire: WireRequest;
  /** The body as sent (for the report), and its parsed form when it is JSON. */
  bodyText: string | undefined;
  /** Whether the body is JSON that parses (the platform refuses the rest itself). */
  bodyIsJson: boolean;
  /** Everything sent, as text: see `ReplyContext.sentText`. */
  sentText: string;
}

/** The wire request of a case in this world. */
export function resolveCase(world: World, c: FuzzCase): ResolvedRequest {
  const r = applyMutations(c);
  let path = '/' + r.path.map((s) => segment(world, s)).join('/');
  const query = [
    ...r.query.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v instanceof Sym ? resolveSym(world, v) : v)}`),
    ...r.rawQuery.map(wireSafePath),
  ];
  if (query.length > 0) path += `?${query.join('&')}`;

  let bodyText: string | undefined;
  if (r.body.kind === 'text') bodyText = r.body.text;
  else if (r.body.kind === 'json') {
    let value = r.body.value;
    for (const pad of r.pads) value = padBody(world, value, pad.at, pad.bytes, pad.pad);
    bodyText = toJson(world, value);
    if (bodyText !== undefined && r.truncateAt !== undefined) {
      bodyText = bodyText.slice(0, r.truncateAt % Math.max(1, bodyText.length));
    }
  }

  const headers: [string, string][] = [];
  const auth = r.auth;
  if (!('none' in auth))
    headers.push(['authorization', wireSafeHeader(`${auth.scheme}${tokenValue(world, auth.token)}${auth.suffix}`)]);
  const contentType = r.headers.has('content-type') ? r.headers.get('content-type') : 'application/json';
  if (bodyText !== undefined && contentType !== null && contentType !== undefined) {
    headers.push(['content-type', wireSafeHeader(contentType)]);
  }
  for (const [name, value] of r.headers) {
    if (name !== 'content-type' && value !== null) headers.push([name, wireSafeHeader(value)]);
  }
  const body = bodyText === undefined ? undefined : Buffer.from(bodyText, 'utf8');
  let bodyIsJson = false;
  if (bodyText !== undefined) {
    try {
      JSON.parse(bodyText);
      bodyIsJson = true;
    } catch {
      bodyIsJson = false;
    }
  }
  return {
    wire: { method: r.method, path, headers, ...(body ? { body } : {}) },
    bodyText,
    bodyIsJson,
    sentText: `${r.method} ${path}\n${headers.map(([k, v]) => `${k}: ${v}`).join('\n')}\n${bodyText ?? ''}`,
  };
}

/** Puts a string at `at` so that the whole JSON body is `bytes` bytes (or as close above as escapes allow). */
function padBody(world: World, value: unknown, at: (string | number)[], bytes: number, pad: PadChar): unknown {
  const without = utf8Bytes(toJson(world, withNode(value, at, '')) ?? '');
  return withNode(value, at, paddedTo(Math.max(0, bytes - without), pad));
}

/** For a failure report: the request as a human reads it, long bodies cut. */
export function describeRequest(req: ResolvedRequest): string {
  const { wire } = req;
  const body =
    req.bodyText === undefined
      ? ''
      : req.bodyText.length > 600
        ? `${req.bodyText.slice(0, 600)}… (${wire.body?.length ?? 0} bytes)`
        : req.bodyText;
  return `${wire.method} ${wire.path.slice(0, 600)}\n${wire.headers.map(([k, v]) => `${k}: ${v.slice(0, 200)}`).join('\n')}\n\n${JSON.stringify(body)}`;
}

/** Text for `replace`/`add` mutations and unknown fields: every JSON type, awkward strings, limits. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: awkwardText(0, 30) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  {
    weight: 1,
    arbitrary: fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, -0, 500, 501, 100, 101),
  },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(awkwardText(0, 10), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(awkwardText(0, 10), awkwardText(0, 10), { maxKeys: 4 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(1_000, 8_000, 16_385, 100_000, 100_001, 200_000),
        fc.constantFrom('x', '\u00E9', '\u{1F600}'),
      )
      .map(([n, p]) => new Big(n, p as PadChar)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(11, 21, 100, 5_000, 100_000), fc.constantFrom('array', 'object'))
      .map(([n, as]) => new Deep(n, as)),
  },
  { weight: 1, arbitrary: fc.constantFrom(SUBJECT_UUID, BYSTANDER_UUID, SUBJECT_NAME) },
);

/** Other AIs' UUIDs: the bystander (which the subject's key may not open), and UUIDs of nothing. */
export const OTHER_AI_UUIDS: fc.Arbitrary<Seg> = fc.oneof(
  fc.constant<Seg>(BYSTANDER_UUID),
  fc.uuid().map((u): Seg => ({ text: u })),
  fc.uuid().map((u): Seg => ({ text: u.toUpperCase() })),
);
