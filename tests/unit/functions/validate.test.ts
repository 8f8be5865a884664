import { describe, expect, it } from 'vitest';
import { ApiError } from '@memory-weaver/core';
import { ContextPreviewRequestSchema, CreateMemoryBodySchema, ListMemoriesQuerySchema } from '@memory-weaver/protocol';
import { parse } from '../../../functions/src/http/validate.js';

// Schemas from the protocol rather than made here: the root's `zod` is another major version.
const Body = CreateMemoryBodySchema;

/** The error `parse` throws, for assertions on it. */
function failure(run: () => unknown): ApiError {
  try {
    run();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected parse to throw');
}

describe('parse', () => {
  it('returns the parsed value of a valid request part', () => {
    expect(parse(Body, { content: 'tea', metadata: { a: 1 } }, 'body')).toEqual({ content: 'tea', metadata: { a: 1 } });
  });

  it('returns what the schema makes of the value, not the value itself', () => {
    expect(parse(ListMemoriesQuerySchema, { limit: '5' }, 'query')).toEqual({ limit: 5 });
  });

  it('throws a 400 invalid_argument that names the part and the first bad field', () => {
    const err = failure(() => parse(Body, { content: '' }, 'body'));
    expect(err.code).toBe('invalid_argument');
    expect(err.status).toBe(400);
    expect(err.message).toBe('invalid body: content: content must not be empty');
  });

  it('lists every bad field in the details, nested paths joined with dots', () => {
    const body = {
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'robot', content: 'x' },
      ],
      session_id: 'a/b',
    };
    const err = failure(() => parse(ContextPreviewRequestSchema, body, 'body'));
    const issues = (err.details as { issues: { field: string; message: string }[] }).issues;
    expect(issues.map((i) => i.field)).toEqual(['messages.1.role', 'session_id']);
    expect(issues.every((i) => i.message.length > 0)).toBe(true);
  });

  it.each(['body', 'query', 'path'] as const)('names the %s itself when the whole part is wrong', (part) => {
    const err = failure(() => parse(Body, 'not an object', part));
    expect(err.message).toMatch(new RegExp(`^invalid ${part}: ${part}: `));
    expect(err.details).toEqual({ issues: [expect.objectContaining({ field: part })] });
  });

  it('reports an unknown field of a strict schema', () => {
    const err = failure(() => parse(Body, { content: 'tea', extra: true }, 'body'));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toMatch(/extra/);
  });
});
