import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { ApiError, decodeCursor, encodeCursor } from '@memory-weaver/core';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('page cursors', () => {
  it('decode to the position they were made from', () => {
    const at = new Timestamp(1_700_000_000, 123_456_789);
    const decoded = decodeCursor(encodeCursor(at, 'doc_1'));
    expect(decoded.id).toBe('doc_1');
    expect(decoded.at.isEqual(at)).toBe(true);
  });

  it('are URL-safe', () => {
    expect(encodeCursor(new Timestamp(1_700_000_000, 999_999_999), '~~~???>>>')).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['text that is not base64 JSON', 'not a cursor!'],
    ['JSON that is not an object', encode(42)],
    ['a position without an id', encode({ seconds: 1, nanos: 0 })],
    ['an empty id', encode({ seconds: 1, nanos: 0, id: '' })],
    ['an id longer than 128 characters', encode({ seconds: 1, nanos: 0, id: 'x'.repeat(129) })],
    ['seconds that are not an integer', encode({ seconds: 1.5, nanos: 0, id: 'a' })],
    ['nanos given as a string', encode({ seconds: 1, nanos: '0', id: 'a' })],
    ['nanos out of range', encode({ seconds: 1, nanos: 1_000_000_000, id: 'a' })],
  ])('reject %s as a 400 on the cursor field', (_what, cursor) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ code: 'invalid_argument', details: { field: 'cursor' } });
  });
});
