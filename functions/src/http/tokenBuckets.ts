/**
 * @module http/tokenBuckets — one token bucket per key (an address, an API key), in this process.
 *
 * A bucket holds up to `capacity` tokens and refills continuously at `capacity` per `windowMs`; a
 * request takes one. Taking is synchronous, so concurrent requests in one process are counted
 * exactly: of N + k requests arriving together at a full bucket of N, exactly k are refused.
 * Another instance has buckets of its own (see http/limits.ts).
 *
 * The time is a monotonic clock in milliseconds (`performance.now` in the app), so a wall-clock
 * step neither refills nor empties a bucket.
 */
export interface BucketOptions {
  capacity: number;
  windowMs: number;
  /** Buckets kept at most; past that the oldest is dropped (which refills it: see below). */
  maxKeys: number;
}

export interface TokenBuckets {
  /** Takes a token from `key`'s bucket: 0 when taken, else the milliseconds until one will be there. */
  take(key: string): number;
  /** Gives back a token taken earlier (a reservation that turned out not to count). */
  give(key: string): void;
  /** Buckets currently kept. */
  readonly size: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function tokenBuckets(options: BucketOptions, now: () => number): TokenBuckets {
  const { capacity, windowMs, maxKeys } = options;
  const perMs = capacity / windowMs;
  // Map order is insertion order, so the first key is the oldest bucket. Dropping it when full
  // forgets what that key spent: someone holding more than `maxKeys` addresses could reset their
  // own buckets that way, which is why `maxKeys` is large (a bucket is a few dozen bytes).
  const buckets = new Map<string, Bucket>();

  const refilled = (key: string, t: number): Bucket => {
    let b = buckets.get(key);
    if (!b) {
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
      b = { tokens: capacity, at: t };
      buckets.set(key, b);
      return b;
    }
    b.tokens = Math.min(capacity, b.tokens + (t - b.at) * perMs);
    b.at = t;
    return b;
  };

  return {
    take(key) {
      const b = refilled(key, now());
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - b.tokens) / perMs);
    },
    give(key) {
      const b = buckets.get(key);
      if (b) b.tokens = Math.min(capacity, b.tokens + 1);
    },
    get size() {
      return buckets.size;
    },
  };
}
