/**
 * @module http/limits — the API's request limits, counted in this function instance:
 *
 * - **per address**: every request but the health check, before anything else runs;
 * - **per caller**: every authenticated request, per API key or per administrator. It is counted
 *   after authentication on purpose: a key id is visible (it is the key's prefix), so counting
 *   what merely claims a key would let anyone spend that key's budget;
 * - **failed authentications per address**, counted apart and much tighter. A credential this
 *   process has not yet seen succeed must reserve one of these tokens before it is looked up; it
 *   gets it back when it authenticates. So an address that has spent its failures can't make the
 *   API look up another unknown `mwk_…` key (two Firestore reads) or verify another ID token
 *   until the bucket refills, while credentials that already worked here still pass. Concurrent
 *   requests carrying the same new credential reserve once between them, so a fresh instance
 *   meeting a burst from one legitimate client doesn't refuse it.
 *
 * Across instances: every instance keeps its own buckets (no shared store, no extra round trip),
 * so a client whose requests are spread over M instances can get up to M times each limit; the
 * function's `maxInstances` (index.ts) bounds M. Exactness under bursts holds within an instance.
 */
import { createHash } from 'node:crypto';
import { ApiError, callerKey, type Principal } from '@memory-weaver/core';
import { AUTH_FAILURE_WINDOW_MS, type LimitsConfig } from '../config.js';
import { tokenBuckets } from './tokenBuckets.js';

const MINUTE_MS = 60_000;
/** Buckets kept per kind: ~100 bytes each, so at most ~10 MB per kind under a flood of addresses. */
const MAX_KEYS = 100_000;
/** How long a credential that authenticated counts as known here (it is checked every time anyway). */
const KNOWN_TTL_MS = 10 * 60_000;
const MAX_KNOWN = 10_000;

export type LimitName = 'address' | 'caller' | 'failed_authentications';

/** One request's authentication, as the failure limit sees it. Every method may be called more than once. */
export interface AuthAttempt {
  /** The credential authenticated. */
  succeeded(): void;
  /** The credential was refused (a 401), at first or when re-checked later in the same request. */
  failed(): void;
  /** The request ended: if nothing settled the attempt, a 401 is a failure and anything else is not. */
  settle(status: number): void;
}

export interface Limits {
  /** Counts a request from `address`; throws 429 `rate_limited` when it is over its limit. */
  admitAddress(address: string): void;
  /** Counts a request authenticated as `principal`; throws 429 when that caller is over its limit. */
  admitCaller(principal: Principal): void;
  /** Starts authenticating `credential` for `address`; throws 429 when the address may not try a new one. */
  beginAuth(address: string, credential: string): AuthAttempt;
}

export function rateLimited(limit: LimitName, waitMs: number, what: string): ApiError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new ApiError('rate_limited', `${what}: retry after ${seconds} s`, { limit, retry_after_seconds: seconds });
}

/** `now`: a monotonic clock in milliseconds. */
export function createLimits(config: LimitsConfig, now: () => number): Limits {
  const perMinute = (capacity: number) => tokenBuckets({ capacity, windowMs: MINUTE_MS, maxKeys: MAX_KEYS }, now);
  const addresses = perMinute(config.perAddressPerMinute);
  const callers = perMinute(config.perCallerPerMinute);
  const failures = tokenBuckets(
    { capacity: config.authFailuresPerWindow, windowMs: AUTH_FAILURE_WINDOW_MS, maxKeys: MAX_KEYS },
    now,
  );
  // Credentials by hash (never the credential itself): those that authenticated lately, and those
  // whose first attempt holds a reservation right now.
  const known = new Map<string, number>();
  const reserving = new Set<string>();

  const isKnown = (hash: string): boolean => {
    const until = known.get(hash);
    if (until === undefined) return false;
    if (until > now()) return true;
    known.delete(hash);
    return false;
  };
  const remember = (hash: string): void => {
    known.delete(hash);
    if (known.size >= MAX_KNOWN) known.delete(known.keys().next().value as string);
    known.set(hash, now() + KNOWN_TTL_MS);
  };

  return {
    admitAddress(address) {
      const wait = addresses.take(address);
      if (wait > 0) throw rateLimited('address', wait, 'too many requests from this address');
    },

    admitCaller(principal) {
      const key = callerKey(principal);
      const wait = callers.take(key);
      if (wait > 0) {
        const who = principal.kind === 'ai_key' ? 'this API key' : 'this administrator';
        throw rateLimited('caller', wait, `too many requests from ${who}`);
      }
    },

    beginAuth(address, credential) {
      const hash = createHash('sha256').update(credential).digest('base64');
      let reserved = false;
      if (!isKnown(hash) && !reserving.has(hash)) {
        const wait = failures.take(address);
        if (wait > 0)
          throw rateLimited('failed_authentications', wait, 'too many failed authentications from this address');
        reserved = true;
        reserving.add(hash);
      }
      let outcome: 'ok' | 'failed' | 'neutral' | null = null;
      /** Ends the reservation, if this attempt still holds one; true if it did. */
      const release = (): boolean => {
        if (!reserved || outcome !== null) return false;
        reserving.delete(hash);
        return true;
      };
      const attempt: AuthAttempt = {
        succeeded() {
          if (outcome !== null) return;
          if (release()) failures.give(address);
          outcome = 'ok';
          remember(hash);
        },
        failed() {
          if (outcome === 'failed') return;
          // A held reservation becomes the failure; otherwise the failure takes a token now (if
          // the bucket is already empty there is nothing left to take, and nothing else to do).
          if (!release()) failures.take(address);
          outcome = 'failed';
          known.delete(hash);
        },
        settle(status) {
          if (outcome !== null) return;
          if (status === 401) {
            attempt.failed();
            return;
          }
          if (release()) failures.give(address);
          outcome = 'neutral';
        },
      };
      return attempt;
    },
  };
}
