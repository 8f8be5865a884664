/** @module rateLimit — a token bucket per socket: bursts are fine, a sustained flood is refused. */
export interface RateLimiter {
  /** Takes one token; false when the bucket is empty. */
  take(): boolean;
}

export interface RateOptions {
  capacity: number;
  refillPerSecond: number;
}

const systemNow = () => Date.now();

// A class, not a closure: one of these may live on each of tens of thousands of sockets, and an
// instance is two numbers and two references where a closure also carries its context.
class TokenBucket implements RateLimiter {
  private tokens: number;
  private last: number;
  constructor(
    private readonly options: RateOptions,
    private readonly now: () => number,
  ) {
    this.tokens = options.capacity;
    this.last = now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(
      this.options.capacity,
      this.tokens + ((t - this.last) / 1000) * this.options.refillPerSecond,
    );
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export function tokenBucket(options: RateOptions, now: () => number = systemNow): RateLimiter {
  return new TokenBucket(options, now);
}
