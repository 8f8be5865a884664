import { describe, expect, it } from 'vitest';
import { decodeCursor } from '@memory-weaver/core';
import { capResponse } from '../../../functions/src/http/responseCap.js';

const memory = (i: number, chars: number) => ({
  memory_id: `m${i}`,
  memory_type: 'archive',
  content: 'x'.repeat(chars),
  metadata: {},
  created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 100 - i)).toISOString(),
});
const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

describe('the response cap', () => {
  it('leaves a listing that fits alone, without adding fields', () => {
    const body = { memories: [memory(1, 10), memory(2, 10)], count: 2 };
    expect(capResponse(body, 10_000)).toBe(body);
  });

  it("cuts the seed's retrieve answer at the budget, corrects the count and says it was cut", () => {
    const all = Array.from({ length: 10 }, (_, i) => memory(i, 1_000));
    const capped = capResponse({ memories: all, count: 10 }, 3_500) as Record<string, unknown>;
    const kept = capped.memories as unknown[];
    expect(kept).toEqual(all.slice(0, kept.length));
    expect(bytes(kept)).toBeLessThanOrEqual(3_500);
    expect(bytes(all.slice(0, kept.length + 1))).toBeGreaterThan(3_500);
    expect(capped.count).toBe(kept.length);
    expect(capped.truncated).toBe(true);
  });

  it('continues a memory page right after the last memory it kept', () => {
    const all = Array.from({ length: 5 }, (_, i) => memory(i, 1_000));
    const capped = capResponse({ memories: all, next_cursor: null }, 2_500) as Record<string, unknown>;
    const kept = capped.memories as { memory_id: string; created_at: string }[];
    const last = kept.at(-1);
    const position = decodeCursor(capped.next_cursor as string);
    expect(position.id).toBe(last?.memory_id);
    expect(position.at.toDate().toISOString()).toBe(last?.created_at);
  });

  it('continues an event page after the last event it kept', () => {
    const events = Array.from({ length: 4 }, (_, i) => ({
      event_id: String(i + 1).padStart(12, '0'),
      memory: memory(i, 1_000),
    }));
    const capped = capResponse({ events, next_cursor: null }, 2_500) as Record<string, unknown>;
    expect(capped.events).toHaveLength(2);
    expect(capped.next_cursor).toBe('000000000002');
    expect(capped.truncated).toBe(true);
  });

  it('only cuts ranked search results, which have no cursor', () => {
    const results = Array.from({ length: 4 }, (_, i) => ({ memory: memory(i, 1_000), score: 1 - i / 10 }));
    const capped = capResponse({ results }, 2_500) as Record<string, unknown>;
    expect(capped.results).toHaveLength(2);
    expect(capped.truncated).toBe(true);
    expect(capped).not.toHaveProperty('next_cursor');
  });

  it('always keeps the first item, however large', () => {
    const capped = capResponse({ memories: [memory(1, 5_000), memory(2, 10)], count: 2 }, 1_000) as Record<
      string,
      unknown
    >;
    expect(capped.memories).toHaveLength(1);
  });

  it.each([
    ['a single memory', memory(1, 5_000)],
    ['a list of AIs', { ais: [{ ai_uuid: 'x' }], next_cursor: null }],
    ['an array', [1, 2, 3]],
    ['nothing', null],
  ])('passes %s through unchanged', (_label, body) => {
    expect(capResponse(body, 10)).toBe(body);
  });
});
