/**
 * @module keys — AI API keys: `mwk_<key id>.<secret>`.
 * The key id is public (it names the key's document and is the visible prefix); the secret
 * is 256 random bits, stored only as its SHA-256 and compared in constant time. A fast hash
 * is right here: the secret is random, so there is nothing to brute-force a dictionary of.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY_PATTERN = /^mwk_([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/;

export interface IssuedKey {
  apiKey: string;
  keyId: string;
  prefix: string;
  secretHash: string;
}

export function issueKey(): IssuedKey {
  const keyId = randomBytes(12).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  return { apiKey: `mwk_${keyId}.${secret}`, keyId, prefix: keyPrefix(keyId), secretHash: hashSecret(secret) };
}

export const keyPrefix = (keyId: string): string => `mwk_${keyId}`;

export const looksLikeApiKey = (token: string): boolean => token.startsWith('mwk_');

export function parseKey(apiKey: string): { keyId: string; secret: string } | null {
  const match = KEY_PATTERN.exec(apiKey);
  return match ? { keyId: match[1] as string, secret: match[2] as string } : null;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
