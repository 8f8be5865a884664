/** @module auth/principal — who is calling: an administrator (Firebase Auth) or one AI (its API key). */
import type { Firestore } from 'firebase-admin/firestore';
import type { Actor } from '@memory-weaver/protocol';
import { ApiError, permissionDenied, unauthenticated } from '../http/errors.js';
import { apiKeyRef } from '../store/paths.js';
import { looksLikeApiKey, parseKey, secretMatches } from './keys.js';

export type Principal =
  | { kind: 'admin'; uid: string }
  | { kind: 'ai_key'; keyId: string; aiUuid: string; aiName: string };

export interface DecodedToken {
  uid: string;
  admin?: unknown;
}

/** Verifies a Firebase ID token; rejects (any error) when it is not valid. */
export type VerifyIdToken = (idToken: string) => Promise<DecodedToken>;

export const actorOf = (p: Principal): Actor =>
  p.kind === 'admin' ? { kind: 'admin', id: p.uid } : { kind: 'ai_key', id: p.keyId };

export function bearerToken(header: string | undefined): string {
  if (!header) throw unauthenticated('missing Authorization header: send "Bearer <api key or ID token>"');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthenticated('Authorization header must be "Bearer <api key or ID token>"');
  return match[1] as string;
}

export async function authenticate(
  token: string,
  deps: { db: Firestore; verifyIdToken: VerifyIdToken },
): Promise<Principal> {
  return looksLikeApiKey(token) ? authenticateKey(token, deps.db) : authenticateAdmin(token, deps.verifyIdToken);
}

async function authenticateKey(apiKey: string, db: Firestore): Promise<Principal> {
  const parsed = parseKey(apiKey);
  if (!parsed) throw unauthenticated('malformed API key');
  const snap = await apiKeyRef(db, parsed.keyId).get();
  const data = snap.data();
  // The secret is checked before anything about the key's state is revealed.
  if (!data || typeof data.secretHash !== 'string' || !secretMatches(parsed.secret, data.secretHash)) {
    throw unauthenticated('unknown API key');
  }
  if (data.revokedAt) throw new ApiError('key_revoked', 'this API key has been revoked or rotated');
  return { kind: 'ai_key', keyId: parsed.keyId, aiUuid: String(data.aiUuid), aiName: String(data.aiName) };
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
