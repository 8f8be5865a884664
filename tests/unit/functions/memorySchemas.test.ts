import { describe, expect, it } from 'vitest';
import {
  AiNameSchema,
  CreateMemoryBodySchema,
  CreateMemoryRequestSchema,
  EditMemoryBodySchema,
  LIMITS,
  MetadataSchema,
  MoveMemoryRequestSchema,
  RetrieveMemoriesRequestSchema,
} from '@memory-weaver/protocol';

const AI = { ai_name: 'Ada', ai_uuid: '3f1c2a4e-8b7d-4c6e-9a5f-1b2c3d4e5f60' };

describe('the seed create_memory body', () => {
  it.each([
    ['content as a string', { ...AI, memory_type: 'working_memory', memory_data: 'likes tea' }],
    ['content with metadata', { ...AI, memory_type: 'archive', memory_data: { content: 'x', metadata: { a: 1 } } }],
    ['content without metadata', { ...AI, memory_type: 'personal_logs', memory_data: { content: 'x' } }],
    [
      'content at the size limit',
      { ...AI, memory_type: 'working_memory', memory_data: 'x'.repeat(LIMITS.contentChars) },
    ],
  ])('accepts %s', (_what, body) => {
    expect(CreateMemoryRequestSchema.safeParse(body).success).toBe(true);
  });

  it.each([
    ['an unknown tier', { ...AI, memory_type: 'short_term', memory_data: 'x' }],
    ['empty content', { ...AI, memory_type: 'working_memory', memory_data: '' }],
    [
      'content over the size limit',
      { ...AI, memory_type: 'working_memory', memory_data: 'x'.repeat(LIMITS.contentChars + 1) },
    ],
    ['an ai_uuid that is not a UUID', { ...AI, ai_uuid: 'abc', memory_type: 'working_memory', memory_data: 'x' }],
    ['a missing ai_name', { ai_uuid: AI.ai_uuid, memory_type: 'working_memory', memory_data: 'x' }],
    ['an unknown field', { ...AI, memory_type: 'working_memory', memory_data: 'x', extra: 1 }],
    [
      'an unknown field in memory_data',
      { ...AI, memory_type: 'working_memory', memory_data: { content: 'x', tags: [] } },
    ],
    ['memory_data as a number', { ...AI, memory_type: 'working_memory', memory_data: 7 }],
  ])('rejects %s', (_what, body) => {
    expect(CreateMemoryRequestSchema.safeParse(body).success).toBe(false);
  });
});

describe('the seed move_memory body', () => {
  const move = { ...AI, from_memory_type: 'working_memory', to_memory_type: 'archive', document_id: 'abc_DEF-123' };

  it('accepts a move between two tiers', () => {
    expect(MoveMemoryRequestSchema.safeParse(move).success).toBe(true);
  });

  it.each([
    ['a document id with a slash', { ...move, document_id: 'a/b' }],
    ['an empty document id', { ...move, document_id: '' }],
    ['a document id over 128 characters', { ...move, document_id: 'a'.repeat(129) }],
    ['an unknown target tier', { ...move, to_memory_type: 'trash' }],
  ])('rejects %s', (_what, body) => {
    expect(MoveMemoryRequestSchema.safeParse(body).success).toBe(false);
  });
});

describe('the seed retrieve_memories body', () => {
  const retrieve = { ...AI, memory_type: 'long_term_memory' };

  it.each([
    ['no filter', retrieve],
    ['a text filter', { ...retrieve, filter_query: 'tea' }],
    ['a metadata filter of scalars', { ...retrieve, filter_query: { mood: 'happy', n: 1, ok: true, gone: null } }],
    ['the largest limit', { ...retrieve, limit: LIMITS.retrieveMax }],
  ])('accepts %s', (_what, body) => {
    expect(RetrieveMemoriesRequestSchema.safeParse(body).success).toBe(true);
  });

  it.each([
    ['a limit of zero', { ...retrieve, limit: 0 }],
    ['a limit over the maximum', { ...retrieve, limit: LIMITS.retrieveMax + 1 }],
    ['a fractional limit', { ...retrieve, limit: 2.5 }],
    ['an empty text filter', { ...retrieve, filter_query: '' }],
    ['a metadata filter with a nested object', { ...retrieve, filter_query: { a: { b: 1 } } }],
  ])('rejects %s', (_what, body) => {
    expect(RetrieveMemoriesRequestSchema.safeParse(body).success).toBe(false);
  });
});

describe('AI names', () => {
  it('trims surrounding spaces', () => {
    expect(AiNameSchema.parse('  Ada  ')).toBe('Ada');
  });

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['with a slash', 'a/b'],
    ['with a newline', 'a\nb'],
    ['with a NUL', 'a\u0000b'],
    ['too long', 'x'.repeat(LIMITS.aiNameChars + 1)],
  ])('rejects a name %s', (_what, name) => {
    expect(AiNameSchema.safeParse(name).success).toBe(false);
  });
});

describe('metadata', () => {
  it.each([
    ['flat values', { a: 1, b: 'two', c: true, d: null }],
    ['an array of objects', { list: [{ a: 1 }, { b: 2 }] }],
    ['ten levels of nesting', { a: { b: { c: { d: { e: { f: { g: { h: { i: { j: 1 } } } } } } } } } }],
  ])('accepts %s', (_what, metadata) => {
    expect(MetadataSchema.safeParse(metadata).success).toBe(true);
  });

  it.each([
    ['an array directly inside an array', { grid: [[1, 2]] }],
    ['a reserved __name__ key', { __name__: 'x' }],
    ['a reserved key further down', { a: { __x__: 1 } }],
    ['eleven levels of nesting', { a: { b: { c: { d: { e: { f: { g: { h: { i: { j: { k: 1 } } } } } } } } } } }],
    ['more JSON than the byte limit', { big: 'x'.repeat(LIMITS.metadataBytes) }],
    ['an empty key', { '': 1 }],
  ])('rejects %s, which Firestore could not store', (_what, metadata) => {
    expect(MetadataSchema.safeParse(metadata).success).toBe(false);
  });
});

describe('the resource API memory bodies', () => {
  it('creates with content alone', () => {
    expect(CreateMemoryBodySchema.safeParse({ content: 'x' }).success).toBe(true);
  });

  it.each([
    ['content', { content: 'x' }],
    ['metadata', { metadata: { a: 1 } }],
    ['both', { content: 'x', metadata: {} }],
  ])('edits with %s', (_what, body) => {
    expect(EditMemoryBodySchema.safeParse(body).success).toBe(true);
  });

  it('refuses an edit that changes nothing', () => {
    const result = EditMemoryBodySchema.safeParse({});
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('give content, metadata or both');
  });
});
