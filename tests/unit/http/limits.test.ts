import { describe, expect, it } from 'vitest';
import { ApiError, type Principal } from '@memory-weaver/core';
import { AUTH_FAILURE_WINDOW_MS, DEFAULT_LIMITS, type LimitsConfig } from '../../../functions/src/config.js';
import { createLimits } from '../../../functions/src/http/limits.js';

const manualClock = () => {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

const limitsWith = (config: Partial<LimitsConfig>, clock = manualClock()) =>
  createLimits({ ...DEFAULT_LIMITS, ...config }, clock.now);

/** The error `run` throws, or null. */
function thrown(run: () => unknown): ApiError | null {
  try {
    run();
    return null;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
}

const key = (keyId: string): Principal => ({ kind: 'ai_key', keyId, aiUuid: 'u', aiName: 'n', cached: false });

describe('the per-address limit', () => {
  it('refuses the request past the limit with 429 rate_limited, naming the limit and the wait', () => {
    const limits = limitsWith({ perAddressPerMinute: 2 });
    expect(thrown(() => limits.admitAddress('203.0.113.1'))).toBeNull();
    expect(thrown(() => limits.admitAddress('203.0.113.1'))).toBeNull();
    const refused = thrown(() => limits.admitAddress('203.0.113.1'));
    expect(refused?.status).toBe(429);
    expect(refused?.code).toBe('rate_limited');
    expect(refused?.details).toEqual({ limit: 'address', retry_after_seconds: 30 });
  });

  it('counts each address on its own', () => {
    const limits = limitsWith({ perAddressPerMinute: 1 });
    limits.admitAddress('203.0.113.1');
    expect(thrown(() => limits.admitAddress('203.0.113.2'))).toBeNull();
  });
});

describe('the per-caller limit', () => {
  it('counts each key and each administrator on its own', () => {
    const limits = limitsWith({ perCallerPerMinute: 1 });
    limits.admitCaller(key('k1'));
    expect(thrown(() => limits.admitCaller(key('k1')))?.details).toMatchObject({ limit: 'caller' });
    expect(thrown(() => limits.admitCaller(key('k2')))).toBeNull();
    expect(thrown(() => limits.admitCaller({ kind: 'admin', uid: 'k1' }))).toBeNull();
  });
});

describe('the failed-authentication limit', () => {
  it('lets an address try as many unknown credentials as its failures allow, then refuses before any lookup', () => {
    const limits = limitsWith({ authFailuresPerWindow: 2 });
    limits.beginAuth('a', 'guess-1').failed();
    limits.beginAuth('a', 'guess-2').failed();
    const refused = thrown(() => limits.beginAuth('a', 'guess-3'));
    expect(refused?.status).toBe(429);
    expect(refused?.details).toEqual({
      limit: 'failed_authentications',
      retry_after_seconds: AUTH_FAILURE_WINDOW_MS / 2 / 1000,
    });
    expect(thrown(() => limits.beginAuth('b', 'guess-3'))).toBeNull();
  });

  it('counts concurrent attempts with distinct new credentials exactly: N pass, the rest are refused', () => {
    const limits = limitsWith({ authFailuresPerWindow: 3 });
    const outcomes = Array.from({ length: 5 }, (_, i) => thrown(() => limits.beginAuth('a', `guess-${i}`)));
    expect(outcomes.filter((e) => e === null)).toHaveLength(3);
    expect(outcomes.filter((e) => e?.code === 'rate_limited')).toHaveLength(2);
  });

  it('gives the reservation back when the credential authenticates', () => {
    const limits = limitsWith({ authFailuresPerWindow: 1 });
    limits.beginAuth('a', 'good').succeeded();
    limits.beginAuth('a', 'also-good').succeeded();
    expect(thrown(() => limits.beginAuth('a', 'a-third'))).toBeNull();
  });

  it('still admits a credential that worked here when the address has spent its failures', () => {
    const limits = limitsWith({ authFailuresPerWindow: 1 });
    limits.beginAuth('a', 'good').succeeded();
    limits.beginAuth('a', 'guess').failed();
    expect(thrown(() => limits.beginAuth('a', 'another-guess'))?.code).toBe('rate_limited');
    expect(thrown(() => limits.beginAuth('a', 'good'))).toBeNull();
  });

  it('reserves once for concurrent requests carrying the same new credential', () => {
    const limits = limitsWith({ authFailuresPerWindow: 1 });
    const attempts = Array.from({ length: 10 }, () => limits.beginAuth('a', 'new-key'));
    for (const attempt of attempts) attempt.succeeded();
    expect(thrown(() => limits.beginAuth('a', 'another-new-key'))).toBeNull();
  });

  it('counts a credential that worked and then fails a re-check in the same request', () => {
    const limits = limitsWith({ authFailuresPerWindow: 2 });
    const attempt = limits.beginAuth('a', 'revoked-just-now');
    attempt.succeeded();
    attempt.failed();
    limits.beginAuth('a', 'guess').failed();
    expect(thrown(() => limits.beginAuth('a', 'another-guess'))?.code).toBe('rate_limited');
  });

  it('settles by the final status what the route did not: a 401 counts, anything else gives the reservation back', () => {
    const limits = limitsWith({ authFailuresPerWindow: 1 });
    limits.beginAuth('a', 'x').settle(404);
    limits.beginAuth('a', 'y').settle(200);
    const last = limits.beginAuth('a', 'z');
    last.settle(401);
    last.settle(401);
    expect(thrown(() => limits.beginAuth('a', 'w'))?.code).toBe('rate_limited');
  });

  it('refills over its window', () => {
    const clock = manualClock();
    const limits = limitsWith({ authFailuresPerWindow: 1 }, clock);
    limits.beginAuth('a', 'guess-1').failed();
    clock.advance(AUTH_FAILURE_WINDOW_MS - 1);
    expect(thrown(() => limits.beginAuth('a', 'guess-2'))?.code).toBe('rate_limited');
    clock.advance(1);
    expect(thrown(() => limits.beginAuth('a', 'guess-2'))).toBeNull();
  });
});
