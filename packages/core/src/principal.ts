/** @module principal — who is calling: an administrator (Firebase Auth) or one AI (its API key). */
import type { Firestore } from 'firebase-admin/firestore';
import type { Actor, ServiceActor } from '@memory-weaver/protocol';
import { ApiError, permissionDenied, unauthenticated } from './errors.js';
import { apiKeyRef, revokedKeyRef } from './paths.js';
import type { KeyCache } from './keyCache.js';
import { looksLikeApiKey, parseKey, secretMatches } from './keys.js';

export type Principal =
  | { kind: 'admin'; uid: string }
  /** `cached`: verified against this process's key cache rather than a fresh read. */
  | { kind: 'ai_key'; keyId: string; aiUuid: string; aiName: string; cached: boolean }
  /**
   * The server's own writer acting for one AI (extraction, consolidation, import): never built from
   * a request, only by the job that runs; `id` names the job, for provenance.
   */
  | { kind: 'service'; service: ServiceActor; id: string; aiUuid: string };

export interface DecodedToken {
  uid: string;
  admin?: unknown;
}

/** Verifies a Firebase ID token; rejects (any error) when it is not valid. */
export type VerifyIdToken = (idToken: string) => Promise<DecodedToken>;

export const actorOf = (p: Principal): Actor =>
  p.kind === 'admin'
    ? { kind: 'admin', id: p.uid }
    : p.kind === 'service'
      ? { kind: p.service, id: p.id }
      : { kind: 'ai_key', id: p.keyId };

/** The name a caller's limits are counted under: one per administrator, per key, per service job. */
export const callerKey = (p: Principal): string =>
  p.kind === 'admin' ? `admin:${p.uid}` : p.kind === 'service' ? `${p.service}:${p.id}` : `key:${p.keyId}`;

export function bearerToken(header: string | undefined): string {
  if (!header) throw unauthenticated('missing Authorization header: send "Bearer <api key or ID token>"');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthenticated('Authorization header must be "Bearer <api key or ID token>"');
  return match[1] as string;
}

export interface AuthDeps {
  db: Firestore;
  verifyIdToken: VerifyIdToken;
  keyCache: KeyCache;
}

/** `useCache`: only for writes, whose commits re-check the key (see keyCache.ts). */
export async function authenticate(token: string, deps: AuthDeps, useCache = false): Promise<Principal> {
  return looksLikeApiKey(token)
    ? authenticateKey(token, deps.db, deps.keyCache, useCache)
    : authenticateAdmin(token, deps.verifyIdToken);
}

async function authenticateKey(apiKey: string, db: Firestore, cache: KeyCache, useCache: boolean): Promise<Principal> {
  const parsed = parseKey(apiKey);
  if (!parsed) throw unauthenticated('malformed API key');
  const cached = useCache ? cache.get(parsed.keyId) : undefined;
  if (cached && secretMatches(parsed.secret, cached.secretHash)) {
    return { kind: 'ai_key', keyId: parsed.keyId, aiUuid: cached.aiUuid, aiName: cached.aiName, cached: true };
  }
  const live = (await apiKeyRef(db, parsed.keyId).get()).data();
  // The secret is checked before anything about the key's state is revealed.
  if (live && typeof live.secretHash === 'string' && secretMatches(parsed.secret, live.secretHash)) {
    const record = { secretHash: live.secretHash, aiUuid: String(live.aiUuid), aiName: String(live.aiName) };
    cache.set(parsed.keyId, record);
    return { kind: 'ai_key', keyId: parsed.keyId, aiUuid: record.aiUuid, aiName: record.aiName, cached: false };
  }
  cache.delete(parsed.keyId);
  // Revoking moves the key's record to the tombstones, so a revoked key gets a clear answer.
  const tomb = live ? undefined : (await revokedKeyRef(db, parsed.keyId).get()).data();
  if (tomb && typeof tomb.secretHash === 'string' && secretMatches(parsed.secret, tomb.secretHash)) {
    throw new ApiError('key_revoked', 'this API key has been revoked or rotated');
  }
  throw unauthenticated('unknown API key');
}

async function authenticateAdmin(idToken: string, verifyIdToken: VerifyIdToken): Promise<Principal> {
  let decoded: DecodedToken;
  try {
    decoded = await verifyIdToken(idToken);
  } catch {
    throw unauthenticated('invalid or expired ID token');
  }
  if (decoded.admin !== true) throw permissionDenied('this account is not an administrator');
  return { kind: 'admin', uid: decoded.uid };
}

export function requireAdmin(p: Principal): asserts p is Extract<Principal, { kind: 'admin' }> {
  if (p.kind !== 'admin') throw permissionDenied('this operation needs an administrator');
}
