import { describe, expect, it } from 'vitest';
import { tokenBucket } from '../../../relay/src/rateLimit.js';

/** A clock the test moves by hand, in steps of 250 ms so that fractions of a token add up exactly. */
const manualClock = () => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

const takeAll = (take: () => boolean, tries: number) => Array.from({ length: tries }, take);

describe('the token bucket', () => {
  it('lets a burst as large as its capacity through, then refuses', () => {
    const clock = manualClock();
    const bucket = tokenBucket({ capacity: 3, refillPerSecond: 1 }, clock.now);
    expect(takeAll(() => bucket.take(), 4)).toEqual([true, true, true, false]);
  });

  it('refills at its rate: one token every 1/rate seconds', () => {
    const clock = manualClock();
    const bucket = tokenBucket({ capacity: 2, refillPerSecond: 2 }, clock.now);
    takeAll(() => bucket.take(), 2);
    clock.advance(499);
    expect(bucket.take()).toBe(false);
    clock.advance(1);
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it('gathers fractions of a token across refused attempts', () => {
    const clock = manualClock();
    const bucket = tokenBucket({ capacity: 1, refillPerSecond: 1 }, clock.now);
    bucket.take();
    for (let i = 0; i < 3; i++) {
      clock.advance(250);
      expect(bucket.take()).toBe(false);
    }
    clock.advance(250);
    expect(bucket.take()).toBe(true);
  });

  it('never holds more than its capacity, however long it was idle', () => {
    const clock = manualClock();
    const bucket = tokenBucket({ capacity: 2, refillPerSecond: 10 }, clock.now);
    clock.advance(60_000);
    expect(takeAll(() => bucket.take(), 3)).toEqual([true, true, false]);
  });

  it('lets a sustained flood through only at its rate once the burst is spent', () => {
    const clock = manualClock();
    const bucket = tokenBucket({ capacity: 10, refillPerSecond: 5 }, clock.now);
    const allowed = () => takeAll(() => bucket.take(), 100).filter(Boolean).length;
    expect(allowed()).toBe(10);
    let inTheNextSecond = 0;
    for (let i = 0; i < 4; i++) {
      clock.advance(250);
      inTheNextSecond += allowed();
    }
    expect(inTheNextSecond).toBe(5);
  });
});
