/**
 * @module tests/fuzz/mutations — how a valid request is broken: a field dropped, replaced by any
 * value or the wrong type, an unknown field added, the body replaced, cut short or padded to
 * around the 512 KiB limit; path ids, query parameters, headers (content-type, content-encoding,
 * Idempotency-Key, Authorization shapes) and the method swapped for awkward ones.
 */
import fc from 'fast-check';
import { MEMORY_TYPES } from '@memory-weaver/protocol';
import { MAX_BODY_BYTES } from './oracle.js';
import {
  OTHER_AI_UUIDS,
  SUBJECT_UUID,
  anyValue,
  type Auth,
  type FuzzCase,
  type Mutation,
  type Seg,
  type Token,
  type ValidRequest,
} from './requests.js';
import { PAD_CHARS, awkwardText } from './strings.js';

/** Field names worth adding: the protocol's own, the server-set provenance, prototype keys, anything. */
const fieldName = fc.oneof(
  fc.constantFrom(
    'ai_uuid',
    'ai_name',
    'memory_type',
    'memory_id',
    'memory_data',
    'content',
    'metadata',
    'created_by',
    'updated_by',
    'source',
    'created_at',
    'moved_from',
    'session_id',
    'stream',
    'model',
    '__proto__',
    'constructor',
    '__name__',
    '',
  ),
  awkwardText(0, 12),
);

/** Bodies that are not JSON, or JSON of a kind no endpoint takes. */
const notJson = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '{',
    '}',
    '{"a":',
    '{"a":1,}',
    "{'a':1}",
    '{"a":1}{"b":2}',
    '\uFEFF{}',
    'NaN',
    'undefined',
    '[',
    '"\\ud800"',
    '"\\u0000"',
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '\u0000',
    '\u2028{}',
    'a=1&b=2',
    '<xml/>',
  ),
  awkwardText(0, 40),
);

/** Sizes around the body limit, and around the content limit's body. */
const padBytes = fc.constantFrom(
  MAX_BODY_BYTES - 1,
  MAX_BODY_BYTES,
  MAX_BODY_BYTES + 1,
  MAX_BODY_BYTES + 4096,
  600 * 1024,
  100_010,
  200_000,
);

const bodyMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.nat().map((at): Mutation => ({ on: 'body', op: 'drop', at })) },
  {
    weight: 5,
    arbitrary: fc.record({ at: fc.nat(), value: anyValue }).map((m): Mutation => ({ on: 'body', op: 'replace', ...m })),
  },
  {
    weight: 2,
    arbitrary: fc.record({ key: fieldName, value: anyValue }).map((m): Mutation => ({ on: 'body', op: 'add', ...m })),
  },
  { weight: 1, arbitrary: anyValue.map((value): Mutation => ({ on: 'body', op: 'whole', value })) },
  { weight: 1, arbitrary: notJson.map((text): Mutation => ({ on: 'body', op: 'text', text })) },
  { weight: 1, arbitrary: fc.nat().map((at): Mutation => ({ on: 'body', op: 'truncate', at })) },
  { weight: 1, arbitrary: fc.constant<Mutation>({ on: 'body', op: 'none' }) },
  {
    weight: 1,
    arbitrary: fc
      .record({ at: fc.nat(), bytes: padBytes, pad: fc.constantFrom(...PAD_CHARS) })
      .map((m): Mutation => ({ on: 'body', op: 'pad', ...m })),
  },
);

/** Path segments: other AIs, awkward text, bytes that are not UTF-8 or that try to climb. */
export const pathSegment: fc.Arbitrary<Seg> = fc.oneof(
  { weight: 2, arbitrary: OTHER_AI_UUIDS },
  { weight: 1, arbitrary: fc.constant<Seg>(SUBJECT_UUID) },
  { weight: 3, arbitrary: awkwardText(0, 20).map((text): Seg => ({ text })) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        '%',
        '%Z',
        '%ZZ',
        '%E0%A4',
        '%ED%A0%80',
        '%C0%AE',
        '%FF',
        '%00',
        '%25',
        '%2F',
        '%2f..%2f',
        '..',
        '.',
        '%2e%2e',
        ';x',
        '*',
        ':x',
        '~',
        'a'.repeat(2_000),
      )
      .map((raw): Seg => ({ raw })),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Seg>(
      ...MEMORY_TYPES,
      'api-key',
      'move',
      'memories',
      'sessions',
      'events',
      'stats',
      'search',
      '',
      'V1',
      'AIS',
    ),
  },
);

const pathMutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .record({ at: fc.nat(), seg: pathSegment })
      .map((m): Mutation => ({ on: 'path', op: 'replace', ...m })),
  },
  { weight: 1, arbitrary: pathSegment.map((seg): Mutation => ({ on: 'path', op: 'append', seg })) },
);

/** A page cursor of the API's own form (base64url JSON), with fields out of range or ids Firestore refuses. */
const cursorLike = fc
  .record({
    seconds: fc.oneof(fc.integer(), fc.constantFrom(-62_135_596_801, 253_402_300_800, 0, 1.5)),
    nanos: fc.oneof(fc.integer(), fc.constantFrom(0, 999_999_999, 1_000_000_000, -1)),
    id: fc.oneof(
      awkwardText(0, 20),
      fc.constantFrom('a/b', '/', '__x__', '__name__', '.', '..', 'x'.repeat(128), 'x'.repeat(1_600)),
    ),
  })
  .map((c) => Buffer.from(JSON.stringify(c)).toString('base64url'));

const queryKey = fc.oneof(
  fc.constantFrom(
    'limit',
    'cursor',
    'q',
    'after',
    'created_after',
    'created_before',
    'meta.topic',
    'meta.',
    'meta.__x__',
    'meta.a.b',
    'limit[]',
    'cursor[a]',
    'q[]',
    'meta.a[b]',
    '__proto__',
    'constructor[prototype][x]',
    'a[b][c][d][e][f][g]',
  ),
  awkwardText(0, 10),
);
const queryValue = fc.oneof(
  awkwardText(0, 30),
  fc.constantFrom(
    '0',
    '-1',
    '101',
    '501',
    '1e2',
    '1.5',
    'NaN',
    'Infinity',
    '0x10',
    '',
    ' 5',
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59-23:59',
    '2020-02-30T00:00:00Z',
    '1970-01-01T00:00:00Z',
    '2024-01-01T00:00:00+14:00',
    '000000000000',
    '999999999999',
    'x'.repeat(501),
  ),
  cursorLike,
);

const queryMutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ key: queryKey, value: queryValue }).map((m): Mutation => ({ on: 'query', op: 'set', ...m })),
  },
  { weight: 1, arbitrary: fc.nat().map((at): Mutation => ({ on: 'query', op: 'drop', at })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '%ZZ=1',
        'limit=%E0',
        '&&&',
        '=',
        'limit',
        'limit=1&limit=2',
        'q=%00',
        '%ED%A0%80=x',
        'a[=1',
        ']=1',
        'meta.x=1&meta.x=2',
      )
      .map((raw): Mutation => ({ on: 'query', op: 'raw', raw })),
  },
);

const contentType = fc.oneof(
  fc.constantFrom(
    null,
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=UTF-16',
    'application/json; charset=latin1',
    'application/json; charset=bogus',
    'APPLICATION/JSON',
    'application/json;;',
    'application/vnd.api+json',
    'application/merge-patch+json',
    'application/x-www-form-urlencoded',
    'text/plain',
    'text/plain; charset=utf-8',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    '*/*',
    '',
    ';',
    'application',
    'application/json, text/plain',
  ),
  awkwardText(0, 20),
);

/** Idempotency-Key: a few reused keys (a replay, or a key reused for another request), fresh ones, invalid ones. */
const idempotencyKey = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('fuzz-key-1', 'fuzz-key-2', 'fuzz-key-3') },
  { weight: 2, arbitrary: fc.stringMatching(/^[\x21-\x7e]{1,64}$/) },
  { weight: 2, arbitrary: fc.constantFrom(null, '', ' ', 'a b', 'x'.repeat(255), 'x'.repeat(256), '\u00e9', '\t') },
  { weight: 1, arbitrary: awkwardText(0, 20) },
);

const headerMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: contentType.map((value): Mutation => ({ on: 'header', name: 'content-type', value })) },
  { weight: 3, arbitrary: idempotencyKey.map((value): Mutation => ({ on: 'header', name: 'idempotency-key', value })) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('gzip', 'deflate', 'br', 'identity', 'x-gzip', 'compress', 'gzip, gzip', 'GZIP', '')
      .map((value): Mutation => ({ on: 'header', name: 'content-encoding', value })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        name: fc.constantFrom(
          'accept',
          'accept-charset',
          'x-forwarded-for',
          'origin',
          'x-http-method-override',
          'cookie',
        ),
        value: fc.oneof(
          fc.constantFrom('text/html', '*/*', 'text/event-stream', 'DELETE', '1.2.3.4, garbage', '::1'),
          awkwardText(0, 20),
        ),
      })
      .map((m): Mutation => ({ on: 'header', ...m })),
  },
);

const TOKENS: Token[] = ['subject_key', 'bystander_key', 'admin', 'user', 'revoked_key', 'wrong_secret'];
const literalToken = fc.oneof(
  fc.constantFrom('mwk_', 'mwk_.', 'mwk_\u00e9', 'eyJhbGciOiJub25lIn0.eyJhZG1pbiI6dHJ1ZX0.', 'x'.repeat(4_000), 'null'),
  fc.stringMatching(/^mwk_[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/),
  awkwardText(0, 30),
);
const authShape: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Auth>({ none: true }) },
  {
    weight: 6,
    arbitrary: fc.record({
      scheme: fc.constantFrom(
        'Bearer ',
        'bearer ',
        'BEARER ',
        'Bearer  ',
        'Bearer\t',
        'Bearer',
        'Basic ',
        'Token ',
        '',
      ),
      token: fc.oneof(
        fc.constantFrom(...TOKENS),
        literalToken.map((literal): Token => ({ literal })),
      ),
      suffix: fc.constantFrom('', '', ' ', '  ', ' extra', ', Bearer x', '\t'),
    }),
  },
);

const methodMutation = fc
  .constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND')
  .map((method): Mutation => ({ on: 'method', method }));

export interface MutationOptions {
  /**
   * Whether to send other credentials than the valid one. Through the emulated deployment the
   * fuzzer keeps to valid credentials, so that it spends none of the shared Functions emulator's
   * budget of failed authentications per address, which other test files need.
   */
  auth: boolean;
}

export function mutation(options: MutationOptions): fc.Arbitrary<Mutation> {
  return fc.oneof(
    { weight: 6, arbitrary: bodyMutation },
    { weight: 2, arbitrary: pathMutation },
    { weight: 2, arbitrary: queryMutation },
    { weight: 3, arbitrary: headerMutation },
    { weight: options.auth ? 2 : 0, arbitrary: authShape.map((auth): Mutation => ({ on: 'auth', auth })) },
    { weight: 1, arbitrary: methodMutation },
  );
}

/** A valid request of the endpoint, as it is (one case in five) or with one to three mutations. */
export function fuzzCase(valid: fc.Arbitrary<ValidRequest>, options: MutationOptions): fc.Arbitrary<FuzzCase> {
  const mutations = fc.oneof(
    { weight: 1, arbitrary: fc.constant<Mutation[]>([]) },
    { weight: 4, arbitrary: fc.array(mutation(options), { minLength: 1, maxLength: 3 }) },
  );
  return fc.record({ valid, mutations });
}
