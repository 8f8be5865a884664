import { describe, expect, it } from 'vitest';
import { tokenBuckets } from '../../../functions/src/http/tokenBuckets.js';

/** A monotonic clock the test moves by hand. */
const manualClock = () => {
  let t = 5_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

const takeMany = (take: () => number, tries: number) => Array.from({ length: tries }, take);

describe('token buckets by key', () => {
  it('lets a burst as large as the capacity through and tells the next how long to wait', () => {
    const clock = manualClock();
    const buckets = tokenBuckets({ capacity: 3, windowMs: 60_000, maxKeys: 10 }, clock.now);
    expect(takeMany(() => buckets.take('a'), 4)).toEqual([0, 0, 0, 20_000]);
  });

  it('keeps one bucket per key', () => {
    const clock = manualClock();
    const buckets = tokenBuckets({ capacity: 1, windowMs: 1_000, maxKeys: 10 }, clock.now);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('b')).toBe(0);
    expect(buckets.take('a')).toBeGreaterThan(0);
  });

  it('refills at capacity per window, continuously', () => {
    const clock = manualClock();
    const buckets = tokenBuckets({ capacity: 4, windowMs: 1_000, maxKeys: 10 }, clock.now);
    takeMany(() => buckets.take('a'), 4);
    clock.advance(249);
    expect(buckets.take('a')).toBeGreaterThan(0);
    clock.advance(1);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(250);
  });

  it('never holds more than its capacity, however long it was idle', () => {
    const clock = manualClock();
    const buckets = tokenBuckets({ capacity: 2, windowMs: 1_000, maxKeys: 10 }, clock.now);
    buckets.take('a');
    clock.advance(3_600_000);
    expect(takeMany(() => buckets.take('a'), 3).map((w) => w === 0)).toEqual([true, true, false]);
  });

  it('takes a token given back again, but never beyond the capacity', () => {
    const clock = manualClock();
    const buckets = tokenBuckets({ capacity: 1, windowMs: 60_000, maxKeys: 10 }, clock.now);
    buckets.take('a');
    buckets.give('a');
    expect(buckets.take('a')).toBe(0);
    buckets.give('a');
    buckets.give('a');
    expect(takeMany(() => buckets.take('a'), 2).map((w) => w === 0)).toEqual([true, false]);
  });

  it('keeps at most maxKeys buckets, dropping the oldest', () => {
    const clock = manualClock();
    const buckets = tokenBuckets({ capacity: 1, windowMs: 60_000, maxKeys: 2 }, clock.now);
    buckets.take('a');
    buckets.take('b');
    buckets.take('c');
    expect(buckets.size).toBe(2);
    // 'a' was dropped, so it starts again with a full bucket; 'c' is still spent.
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('c')).toBeGreaterThan(0);
  });
});
