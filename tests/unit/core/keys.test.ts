import { describe, expect, it } from 'vitest';
import { issueKey, keyPrefix, looksLikeApiKey, parseKey, secretMatches } from '@memory-weaver/core';

describe('API keys', () => {
  it('issues a key whose parts parse back and whose secret matches its stored hash', () => {
    const issued = issueKey();
    const parsed = parseKey(issued.apiKey);
    expect(parsed?.keyId).toBe(issued.keyId);
    expect(issued.prefix).toBe(keyPrefix(issued.keyId));
    expect(secretMatches(parsed?.secret ?? '', issued.secretHash)).toBe(true);
  });

  it('never stores the secret itself', () => {
    const issued = issueKey();
    expect(issued.secretHash).not.toContain(issued.apiKey.split('.')[1]);
  });

  it('rejects a secret that differs by one character', () => {
    const issued = issueKey();
    const secret = parseKey(issued.apiKey)?.secret ?? '';
    const other = (secret.startsWith('A') ? 'B' : 'A') + secret.slice(1);
    expect(secretMatches(other, issued.secretHash)).toBe(false);
  });

  it.each(['', 'mwk_', 'mwk_short.secret', `mwk_${'a'.repeat(16)}.${'b'.repeat(42)}`, `Bearer mwk_${'a'.repeat(16)}`])(
    'does not parse the malformed key %j',
    (key) => {
      expect(parseKey(key)).toBeNull();
    },
  );

  it('tells keys from ID tokens by their prefix', () => {
    expect(looksLikeApiKey('mwk_abc')).toBe(true);
    expect(looksLikeApiKey('eyJhbGciOi')).toBe(false);
  });

  it('compares against a malformed stored hash without throwing', () => {
    expect(secretMatches('x', 'not-hex')).toBe(false);
  });
});
