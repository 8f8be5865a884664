/** @module rateLimit — a token bucket per socket: bursts are fine, a sustained flood is refused. */
export interface RateLimiter {
  /** Takes one token; false when the bucket is empty. */
  take(): boolean;
}

export function tokenBucket(
  options: { capacity: number; refillPerSecond: number },
  now = () => Date.now(),
): RateLimiter {
  let tokens = options.capacity;
  let last = now();
  return {
    take() {
      const t = now();
      tokens = Math.min(options.capacity, tokens + ((t - last) / 1000) * options.refillPerSecond);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
