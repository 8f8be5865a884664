/**
 * @module tests/fuzz/endpoints — every HTTP endpoint of the README as a generator of valid
 * requests, each tied to the protocol schema its body must pass (`schema`): the runner checks every
 * valid body against it before mutating, so a generator that drifts from the contract fails loudly
 * instead of fuzzing something else.
 */
import fc from 'fast-check';
import {
  ChatCompletionRequestSchema,
  ContextPreviewRequestSchema,
  CreateAiBodySchema,
  CreateMemoryBodySchema,
  CreateMemoryRequestSchema,
  DeleteMemoryRequestSchema,
  EditMemoryBodySchema,
  EditMemoryRequestSchema,
  HandshakeRequestSchema,
  LIMITS,
  MEMORY_TYPES,
  MetadataSchema,
  MoveMemoryBodySchema,
  MoveMemoryRequestSchema,
  RetrieveMemoriesRequestSchema,
  SearchRequestSchema,
  UpdateAiBodySchema,
  type MemoryType,
} from '@memory-weaver/protocol';
import {
  SUBJECT_NAME,
  SUBJECT_UUID,
  Big,
  sym,
  type Auth,
  type BodyPart,
  type Seg,
  type Sym,
  type Token,
  type ValidRequest,
} from './requests.js';
import { pathSegment } from './mutations.js';
import { awkwardText, plainText } from './strings.js';

/** A protocol schema, as far as the fuzzer uses it (the tests may resolve another copy of zod than the protocol). */
export interface BodySchema {
  safeParse(value: unknown): { success: true } | { success: false; error: { message: string } };
}

export interface Endpoint {
  name: string;
  valid: fc.Arbitrary<ValidRequest>;
  /** The schema a valid body passes, when the endpoint takes one. */
  schema?: BodySchema;
  /**
   * Deletes or re-keys the AI it names when an administrator asks: the main property aims it at
   * UUIDs that exist nowhere (a 404), and a property of its own at throwaway AIs.
   */
  destructive?: boolean;
}

const tier = fc.constantFrom(...MEMORY_TYPES);
const twoTiers = fc
  .tuple(tier, tier)
  .filter(([a, b]) => a !== b)
  .map(([a, b]) => ({ from: a, to: b }));

/** An existing memory of the subject in `t`, or an id of the right shape that names nothing. */
const memoryId = (t: MemoryType): fc.Arbitrary<string | Sym> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.nat(50).map((i) => sym({ kind: 'memory', tier: t, i })) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/).filter((s) => !/^__.*__$/.test(s)) },
  );

const sessionId: fc.Arbitrary<string | Sym> = fc.oneof(
  { weight: 4, arbitrary: fc.nat(20).map((i) => sym({ kind: 'session', i })) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/).filter((s) => !/^__.*__$/.test(s)) },
);

/** Valid AI names: 1–100 characters after trimming, no "/" and no C0 control characters. */
const aiName = awkwardText(1, 40)
  // eslint-disable-next-line no-control-regex -- reason: removing control characters is this pattern's whole job
  .map((s) => s.replace(/[/\u0000-\u001f]/g, '_').trim())
  .filter((s) => s.length > 0 && s.length <= LIMITS.aiNameChars);

/** Content: mostly short and awkward, now and then at the 100,000-character limit. */
const content: fc.Arbitrary<string | Big> = fc.oneof(
  { weight: 12, arbitrary: awkwardText(1, 60).filter((s) => s.length > 0) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(new Big(LIMITS.contentChars, 'x'), new Big(LIMITS.contentChars, '\u{1F600}')),
  },
);

/** Metadata the protocol's MetadataSchema accepts: short keys, JSON values nested a little. */
const metadata = fc
  .dictionary(
    awkwardText(1, 12),
    fc.oneof(awkwardText(0, 20), fc.integer(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 })),
    { maxKeys: 4 },
  )
  .filter((m) => MetadataSchema.safeParse(m).success);

const memoryData = fc.oneof(content, fc.record({ content, metadata }, { requiredKeys: ['content'] }));

const messages = fc
  .array(fc.record({ role: fc.constantFrom('system', 'user', 'assistant'), content: awkwardText(1, 40) }), {
    maxLength: 3,
  })
  .chain((before) =>
    awkwardText(1, 40)
      .filter((s) => s.trim().length > 0)
      .map((last) => [...before, { role: 'user', content: last }]),
  );

const AUTH = (token: Token): Auth => ({ scheme: 'Bearer ', token, suffix: '' });
/** Who may call: the subject's own key, an administrator, or either. */
const caller = (...tokens: Token[]): fc.Arbitrary<Auth> => fc.constantFrom(...tokens.map(AUTH));
const KEY_OR_ADMIN = caller('subject_key', 'admin');
const ADMIN = caller('admin');

const json = (value: unknown): BodyPart => ({ kind: 'json', value });
const NO_BODY: BodyPart = { kind: 'none' };

function request(
  endpoint: string,
  parts: { path: Seg[]; query?: [string, string | Sym][]; body?: BodyPart; auth: Auth },
): ValidRequest {
  const [method] = endpoint.split(' ');
  return {
    endpoint,
    method: method as string,
    path: parts.path,
    query: parts.query ?? [],
    body: parts.body ?? NO_BODY,
    auth: parts.auth,
  };
}

/** Optional query parameters: each present or not. */
const params = (entries: Record<string, fc.Arbitrary<string | Sym>>): fc.Arbitrary<[string, string | Sym][]> =>
  fc
    .record(entries, { requiredKeys: [] })
    .map((q) => Object.entries(q).filter((e): e is [string, string | Sym] => e[1] !== undefined));

const limit = (max: number) => fc.integer({ min: 1, max }).map(String);
const isoTime = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

const tierPath = (t: MemoryType): Seg[] => ['v1', 'ais', SUBJECT_UUID, 'memories', t];
const memoryPath = (t: MemoryType, id: string | Sym): Seg[] => [
  ...tierPath(t),
  typeof id === 'string' ? { text: id } : id,
];
/** The AI named by a destructive endpoint's valid request: one that exists nowhere. */
const nowhere = fc.uuid({ version: 4 }).map((u): Seg => ({ text: u }));

const AI_SCOPE = { ai_name: SUBJECT_NAME, ai_uuid: SUBJECT_UUID };

/** The endpoints that delete or re-key an AI. */
const DESTRUCTIVE = [
  { name: 'DELETE /v1/ais/{ai_uuid}', suffix: [] },
  { name: 'POST /v1/ais/{ai_uuid}/api-key', suffix: ['api-key'] },
  { name: 'DELETE /v1/ais/{ai_uuid}/api-key', suffix: ['api-key'] },
];

function destructive(name: string, suffix: string[], at: fc.Arbitrary<Seg>, auth: fc.Arbitrary<Auth>): Endpoint {
  return {
    name,
    destructive: true,
    valid: fc.record({ at, auth }).map((r) => request(name, { path: ['v1', 'ais', r.at, ...suffix], auth: r.auth })),
  };
}

export const ENDPOINTS: Endpoint[] = [
  {
    // Paths no route has, with any method: the app's JSON 404 (or 405), never an HTML page.
    name: 'unrouted paths',
    valid: fc
      .record({
        method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        path: fc.array(pathSegment, { minLength: 1, maxLength: 6 }),
        auth: KEY_OR_ADMIN,
      })
      .map(({ method, path, auth }) => ({
        endpoint: 'unrouted paths',
        method,
        path: ['v1', ...path],
        query: [],
        body: NO_BODY,
        auth,
      })),
  },
  {
    name: 'GET /v1/healthz',
    valid: fc.constant(request('GET /v1/healthz', { path: ['v1', 'healthz'], auth: { none: true } })),
  },
  {
    name: 'POST /v1/handshake',
    schema: HandshakeRequestSchema.partial(),
    valid: fc.oneof(
      aiName.map((n) =>
        request('POST /v1/handshake', { path: ['v1', 'handshake'], body: json({ ai_name: n }), auth: AUTH('admin') }),
      ),
      fc.constant(
        request('POST /v1/handshake', {
          path: ['v1', 'handshake'],
          body: json({ ai_name: SUBJECT_NAME }),
          auth: AUTH('subject_key'),
        }),
      ),
    ),
  },
  {
    name: 'POST /create_memory',
    schema: CreateMemoryRequestSchema,
    valid: fc.record({ t: tier, data: memoryData, auth: KEY_OR_ADMIN }).map(({ t, data, auth }) =>
      request('POST /create_memory', {
        path: ['create_memory'],
        body: json({ ...AI_SCOPE, memory_type: t, memory_data: data }),
        auth,
      }),
    ),
  },
  {
    name: 'POST /edit_memory',
    schema: EditMemoryRequestSchema,
    valid: tier.chain((t) =>
      fc.record({ id: memoryId(t), data: memoryData, auth: KEY_OR_ADMIN }).map(({ id, data, auth }) =>
        request('POST /edit_memory', {
          path: ['edit_memory'],
          body: json({ ...AI_SCOPE, memory_type: t, memory_id: id, memory_data: data }),
          auth,
        }),
      ),
    ),
  },
  {
    name: 'POST /delete_memory',
    schema: DeleteMemoryRequestSchema,
    valid: tier.chain((t) =>
      fc.record({ id: memoryId(t), auth: KEY_OR_ADMIN }).map(({ id, auth }) =>
        request('POST /delete_memory', {
          path: ['delete_memory'],
          body: json({ ...AI_SCOPE, memory_type: t, memory_id: id }),
          auth,
        }),
      ),
    ),
  },
  {
    name: 'POST /move_memory',
    schema: MoveMemoryRequestSchema,
    valid: twoTiers.chain(({ from, to }) =>
      fc.record({ id: memoryId(from), auth: KEY_OR_ADMIN }).map(({ id, auth }) =>
        request('POST /move_memory', {
          path: ['move_memory'],
          body: json({ ...AI_SCOPE, from_memory_type: from, to_memory_type: to, document_id: id }),
          auth,
        }),
      ),
    ),
  },
  {
    name: 'POST /retrieve_memories',
    schema: RetrieveMemoriesRequestSchema,
    valid: fc
      .record(
        {
          t: tier,
          limit: fc.integer({ min: 1, max: LIMITS.retrieveMax }),
          filter: fc.oneof(
            awkwardText(1, 20).filter((s) => s.length > 0),
            fc.dictionary(
              awkwardText(1, 10).filter((k) => k.length > 0),
              fc.oneof(awkwardText(0, 10), fc.integer(), fc.boolean(), fc.constant(null)),
              { maxKeys: 3 },
            ),
          ),
          auth: KEY_OR_ADMIN,
        },
        { requiredKeys: ['t', 'auth'] },
      )
      .map(({ t, limit: n, filter, auth }) =>
        request('POST /retrieve_memories', {
          path: ['retrieve_memories'],
          body: json({
            ...AI_SCOPE,
            memory_type: t,
            ...(n === undefined ? {} : { limit: n }),
            ...(filter === undefined ? {} : { filter_query: filter }),
          }),
          auth,
        }),
      ),
  },
  {
    name: 'GET /v1/ais',
    valid: fc
      .record({
        query: params({ limit: limit(100), cursor: plainText(1, 40).filter((s) => s.length > 0) }),
        auth: KEY_OR_ADMIN,
      })
      .map(({ query, auth }) => request('GET /v1/ais', { path: ['v1', 'ais'], query, auth })),
  },
  {
    name: 'POST /v1/ais',
    schema: CreateAiBodySchema,
    valid: aiName.map((n) =>
      request('POST /v1/ais', { path: ['v1', 'ais'], body: json({ ai_name: n }), auth: AUTH('admin') }),
    ),
  },
  {
    name: 'GET /v1/ais/{ai_uuid}',
    valid: KEY_OR_ADMIN.map((auth) => request('GET /v1/ais/{ai_uuid}', { path: ['v1', 'ais', SUBJECT_UUID], auth })),
  },
  {
    name: 'PATCH /v1/ais/{ai_uuid}',
    schema: UpdateAiBodySchema,
    valid: fc
      .record(
        {
          ai_name: aiName,
          instructions: awkwardText(0, 60),
          model: fc.constantFrom(null, 'gpt-4o-mini'),
          context_tokens: fc.integer({ min: 200, max: 100_000 }),
        },
        { requiredKeys: [] },
      )
      .filter((b) => Object.keys(b).length > 0)
      .map((b) =>
        request('PATCH /v1/ais/{ai_uuid}', { path: ['v1', 'ais', SUBJECT_UUID], body: json(b), auth: AUTH('admin') }),
      ),
  },
  ...DESTRUCTIVE.map(({ name, suffix }) => destructive(name, suffix, nowhere, KEY_OR_ADMIN)),
  {
    name: 'GET /v1/ais/{ai_uuid}/stats',
    valid: KEY_OR_ADMIN.map((auth) =>
      request('GET /v1/ais/{ai_uuid}/stats', { path: ['v1', 'ais', SUBJECT_UUID, 'stats'], auth }),
    ),
  },
  {
    name: 'GET /v1/ais/{ai_uuid}/events',
    valid: fc
      .record({
        query: params({
          after: fc.oneof(
            fc.nat(30).map((i) => sym({ kind: 'event', i })),
            fc.constant('000000000000'),
          ),
          limit: limit(500),
        }),
        auth: KEY_OR_ADMIN,
      })
      .map(({ query, auth }) =>
        request('GET /v1/ais/{ai_uuid}/events', { path: ['v1', 'ais', SUBJECT_UUID, 'events'], query, auth }),
      ),
  },
  {
    name: 'GET /v1/ais/{ai_uuid}/memories/{memory_type}',
    valid: fc
      .record({
        t: tier,
        query: params({
          limit: limit(LIMITS.listPageMax),
          q: awkwardText(1, 20).filter((s) => s.length > 0),
          created_after: isoTime,
          created_before: isoTime,
          'meta.topic': awkwardText(0, 10),
        }),
        auth: KEY_OR_ADMIN,
      })
      .map(({ t, query, auth }) =>
        request('GET /v1/ais/{ai_uuid}/memories/{memory_type}', { path: tierPath(t), query, auth }),
      ),
  },
  {
    name: 'POST /v1/ais/{ai_uuid}/memories/{memory_type}',
    schema: CreateMemoryBodySchema,
    valid: fc
      .record({ t: tier, content, metadata, auth: KEY_OR_ADMIN }, { requiredKeys: ['t', 'content', 'auth'] })
      .map(({ t, auth, ...body }) =>
        request('POST /v1/ais/{ai_uuid}/memories/{memory_type}', { path: tierPath(t), body: json(body), auth }),
      ),
  },
  {
    name: 'GET /v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}',
    valid: tier.chain((t) =>
      fc
        .record({ id: memoryId(t), auth: KEY_OR_ADMIN })
        .map(({ id, auth }) =>
          request('GET /v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}', { path: memoryPath(t, id), auth }),
        ),
    ),
  },
  {
    name: 'PATCH /v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}',
    schema: EditMemoryBodySchema,
    valid: tier.chain((t) =>
      fc
        .record({
          id: memoryId(t),
          body: fc.record({ content, metadata }, { requiredKeys: [] }).filter((b) => Object.keys(b).length > 0),
          auth: KEY_OR_ADMIN,
        })
        .map(({ id, body, auth }) =>
          request('PATCH /v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}', {
            path: memoryPath(t, id),
            body: json(body),
            auth,
          }),
        ),
    ),
  },
  {
    name: 'DELETE /v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}',
    valid: tier.chain((t) =>
      fc
        .record({ id: memoryId(t), auth: KEY_OR_ADMIN })
        .map(({ id, auth }) =>
          request('DELETE /v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}', { path: memoryPath(t, id), auth }),
        ),
    ),
  },
  {
    name: 'POST /v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}/move',
    schema: MoveMemoryBodySchema,
    valid: twoTiers.chain(({ from, to }) =>
      fc.record({ id: memoryId(from), auth: KEY_OR_ADMIN }).map(({ id, auth }) =>
        request('POST /v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}/move', {
          path: [...memoryPath(from, id), 'move'],
          body: json({ to_memory_type: to }),
          auth,
        }),
      ),
    ),
  },
  {
    name: 'POST /v1/chat/completions',
    schema: ChatCompletionRequestSchema,
    valid: fc
      .record(
        {
          messages,
          session_id: sessionId,
          stream: fc.boolean(),
          temperature: fc.double({ min: 0, max: 2, noNaN: true }),
          auth: KEY_OR_ADMIN,
        },
        { requiredKeys: ['messages', 'auth'] },
      )
      .map(({ auth, ...body }) =>
        request('POST /v1/chat/completions', {
          path: ['v1', 'chat', 'completions'],
          // An administrator names the AI; a key means its own.
          body: json('token' in auth && auth.token === 'admin' ? { ...body, ai_uuid: SUBJECT_UUID } : body),
          auth,
        }),
      ),
  },
  {
    name: 'POST /v1/ais/{ai_uuid}/context',
    schema: ContextPreviewRequestSchema,
    valid: fc
      .record({ messages, session_id: sessionId, auth: KEY_OR_ADMIN }, { requiredKeys: ['messages', 'auth'] })
      .map(({ auth, ...body }) =>
        request('POST /v1/ais/{ai_uuid}/context', {
          path: ['v1', 'ais', SUBJECT_UUID, 'context'],
          body: json(body),
          auth,
        }),
      ),
  },
  {
    name: 'POST /v1/ais/{ai_uuid}/search',
    schema: SearchRequestSchema,
    valid: fc
      .record(
        {
          query: awkwardText(1, 40).filter((s) => s.length > 0),
          memory_types: fc.uniqueArray(tier, { minLength: 1, maxLength: 4 }),
          limit: fc.integer({ min: 1, max: 50 }),
          auth: KEY_OR_ADMIN,
        },
        { requiredKeys: ['query', 'auth'] },
      )
      .map(({ auth, ...body }) =>
        request('POST /v1/ais/{ai_uuid}/search', {
          path: ['v1', 'ais', SUBJECT_UUID, 'search'],
          body: json(body),
          auth,
        }),
      ),
  },
  {
    name: 'GET /v1/ais/{ai_uuid}/sessions',
    valid: fc
      .record({
        query: params({ limit: limit(100), cursor: plainText(1, 40).filter((s) => s.length > 0) }),
        auth: KEY_OR_ADMIN,
      })
      .map(({ query, auth }) =>
        request('GET /v1/ais/{ai_uuid}/sessions', { path: ['v1', 'ais', SUBJECT_UUID, 'sessions'], query, auth }),
      ),
  },
  {
    name: 'GET /v1/ais/{ai_uuid}/sessions/{session_id}',
    valid: fc.record({ id: sessionId, auth: KEY_OR_ADMIN }).map(({ id, auth }) =>
      request('GET /v1/ais/{ai_uuid}/sessions/{session_id}', {
        path: ['v1', 'ais', SUBJECT_UUID, 'sessions', typeof id === 'string' ? { text: id } : id],
        auth,
      }),
    ),
  },
  {
    name: 'DELETE /v1/ais/{ai_uuid}/sessions/{session_id}',
    valid: fc.record({ id: sessionId, auth: KEY_OR_ADMIN }).map(({ id, auth }) =>
      request('DELETE /v1/ais/{ai_uuid}/sessions/{session_id}', {
        path: ['v1', 'ais', SUBJECT_UUID, 'sessions', typeof id === 'string' ? { text: id } : id],
        auth,
      }),
    ),
  },
];

/** The destructive endpoints aimed, as an administrator, at the fixture's (throwaway) subject. */
export const DESTRUCTIVE_AIMED: Endpoint[] = DESTRUCTIVE.map(({ name, suffix }) =>
  destructive(name, suffix, fc.constant<Seg>(SUBJECT_UUID), ADMIN),
);
