import { describe, expect, it } from 'vitest';
import {
  isWellFormedText,
  jsonProblem,
  MAX_JSON_DEPTH,
  MetadataSchema,
  MessageSchema,
  storableProblem,
} from '@memory-weaver/protocol';

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

describe('well-formed text', () => {
  it.each([
    ['plain', 'hello', true],
    ['a pair (an emoji)', 'a😀b', true],
    ['a lone high surrogate', 'a\ud800b', false],
    ['a lone low surrogate', '\udc00', false],
    ['a low before a high', '\udc00\ud800', false],
    ['a high at the end', 'x\ud83d', false],
  ])('%s', (_what, text, ok) => {
    expect(isWellFormedText(text)).toBe(ok);
  });
});

describe('jsonProblem', () => {
  it('takes ordinary bodies', () => {
    expect(jsonProblem({ a: [1, { b: 'x😀' }], c: null })).toBeNull();
    expect(jsonProblem(nested(MAX_JSON_DEPTH - 1))).toBeNull();
  });

  it('names where a lone surrogate is, in a value or a key', () => {
    expect(jsonProblem({ memory_data: { content: 'a\ud800' } })).toMatchObject({ path: '$.memory_data.content' });
    expect(jsonProblem({ list: ['ok', '\udfff'] })).toMatchObject({ path: '$.list[1]' });
    expect(jsonProblem({ m: { '\ud800': 1 } })?.message).toMatch(/key/);
  });

  it('refuses nesting past the limit without recursing (100,000 deep is fine to check)', () => {
    expect(jsonProblem(nested(MAX_JSON_DEPTH + 1))?.message).toMatch(/nest/);
    expect(jsonProblem(nested(100_000))?.message).toMatch(/nest/);
  });
});

describe('storableProblem', () => {
  it.each([
    ['a lone surrogate', { a: 'x\ud800' }],
    ['a lone surrogate in a key', { '\ud800': 1 }],
    ['an empty key', { '': 1 }],
    ['a reserved key', { __x__: 1 }],
    ['an array in an array', { a: [[1]] }],
    ['nesting of 12', { a: nested(12) }],
  ])('refuses %s', (_what, value) => {
    expect(storableProblem(value, 'metadata')).toMatch(/^metadata /);
  });

  it('takes what Firestore stores', () => {
    expect(storableProblem({ a: [1, { b: [2] }], c: 'ok', d: null }, 'metadata')).toBeNull();
  });

  it('is checked by the metadata and relay message schemas before they serialise (no stack overflow)', () => {
    expect(MetadataSchema.safeParse({ a: nested(100_000) }).success).toBe(false);
    expect(
      MessageSchema.safeParse({ ai_uuid: '3f1c2a4e-8b7d-4c6e-9a5f-1b2c3d4e5f60', x: nested(100_000) }).success,
    ).toBe(false);
    expect(MessageSchema.safeParse({ ai_uuid: '3f1c2a4e-8b7d-4c6e-9a5f-1b2c3d4e5f60', '': 1 }).success).toBe(false);
  });
});
