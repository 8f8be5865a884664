import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AiCipher,
  KeyUnavailableError,
  isSealed,
  kekFromEnv,
  localKek,
  openDoc,
  sealDoc,
  sealedFieldsOf,
  sealingTransaction,
} from '@memory-weaver/core';
import { initializeApp } from 'firebase-admin/app';
import { getFirestore, type WriteBatch } from 'firebase-admin/firestore';

const cipherOf = (ai: string, keys: [number, Buffer][], current = keys[0]?.[0] ?? 1) =>
  new AiCipher(ai, current, new Map(keys));
const k1 = randomBytes(32);
const k2 = randomBytes(32);
const memPath = 'ai_registry/ai-1/long_term_memory/m1';

describe('sealed fields', () => {
  it('seals content and metadata of a memory and opens them back', () => {
    const c = cipherOf('ai-1', [[1, k1]]);
    const sealed = sealDoc(c, memPath, { content: 'canary text', metadata: { topic: 'x' }, source: 'POST /x' });
    expect(isSealed(sealed.content)).toBe(true);
    expect(isSealed(sealed.metadata)).toBe(true);
    expect(sealed.source).toBe('POST /x');
    expect(JSON.stringify(sealed)).not.toContain('canary');
    expect(openDoc(c, memPath, sealed)).toEqual({
      content: 'canary text',
      metadata: { topic: 'x' },
      source: 'POST /x',
    });
  });

  it.each([
    ['another document', 'ai_registry/ai-1/long_term_memory/m2', 'content'],
    ['another tier', 'ai_registry/ai-1/archive/m1', 'content'],
    ['another field', memPath, 'metadata'],
    ['another AI', 'ai_registry/ai-2/long_term_memory/m1', 'content'],
  ])('refuses a ciphertext moved to %s', (_name, path, field) => {
    const c = cipherOf('ai-1', [[1, k1]]);
    const sealed = c.seal('secret', memPath, 'content');
    expect(() => c.open(sealed, path, field)).toThrow();
  });

  it('refuses a ciphertext whose key version was edited', () => {
    const c = cipherOf(
      'ai-1',
      [
        [1, k1],
        [2, k2],
      ],
      2,
    );
    const sealed = c.seal('secret', memPath, 'content');
    expect(() => c.open({ ...sealed, kv: 1 }, memPath, 'content')).toThrow();
  });

  it('opens both versions during a rotation and names a missing one', () => {
    const old = cipherOf('ai-1', [[1, k1]]);
    const both = cipherOf(
      'ai-1',
      [
        [1, k1],
        [2, k2],
      ],
      2,
    );
    const a = old.seal('before', memPath, 'content');
    const b = both.seal('after', memPath, 'content');
    expect(b.kv).toBe(2);
    expect(both.open(a, memPath, 'content')).toBe('before');
    expect(both.open(b, memPath, 'content')).toBe('after');
    expect(() => old.open(b, memPath, 'content')).toThrow(KeyUnavailableError);
  });

  it('passes plaintext (documents stored before encryption) through', () => {
    const c = cipherOf('ai-1', [[1, k1]]);
    expect(openDoc(c, memPath, { content: 'legacy', metadata: {} })).toEqual({ content: 'legacy', metadata: {} });
    expect(openDoc(null, memPath, { content: 'legacy' })).toEqual({ content: 'legacy' });
  });

  it('can not open a sealed field without the key', () => {
    const c = cipherOf('ai-1', [[1, k1]]);
    expect(() => openDoc(null, memPath, sealDoc(c, memPath, { content: 'x' }))).toThrow(KeyUnavailableError);
  });

  it.each([
    ['ai_registry/a/working_memory/m', ['content', 'metadata']],
    ['ai_registry/a/events/000000000001', ['memory']],
    ['ai_registry/a/versions/m.000000000002', ['memory']],
    ['ai_registry/a/chat_sessions/s', ['name', 'summaryRejectionFacts']],
    ['ai_registry/a/chat_sessions/s/chats/t', ['message', 'response']],
    ['ai_registry/a/extractions/j', ['messages', 'injected', 'candidates']],
    ['ai_registry/a/review/r', ['content', 'targetContent', 'sourceText']],
    ['ai_registry/a/summary_jobs/t', ['dropped', 'missing']],
  ])('knows the sealed fields of %s', (path, fields) => {
    expect(sealedFieldsOf(path)?.fields).toEqual(fields);
  });

  it('leaves documents outside the table alone', () => {
    expect(sealedFieldsOf('ai_registry/a')).toBeNull();
    expect(sealedFieldsOf('api_keys/k')).toBeNull();
  });

  it('makes blind-index terms that differ per AI key and are stable per key', () => {
    const a = cipherOf('ai-1', [[1, k1]]);
    const b = cipherOf('ai-2', [[1, k2]]);
    expect(a.term('canari')).toBe(a.term('canari'));
    expect(a.term('canari')).not.toBe(b.term('canari'));
    expect(a.term('canari')).not.toContain('canari');
  });
});

describe('key-encryption keys', () => {
  const secret = randomBytes(32).toString('base64');

  it('wraps and unwraps a data key bound to its context', async () => {
    const kek = localKek(secret);
    const key = randomBytes(32);
    const wrapped = await kek.wrap(key, 'data_keys/a#1');
    expect((await kek.unwrap(wrapped, 'data_keys/a#1')).equals(key)).toBe(true);
    await expect(kek.unwrap(wrapped, 'data_keys/b#1')).rejects.toThrow();
  });

  it('refuses a local KEK outside a demo- project', () => {
    expect(() => kekFromEnv({ MW_LOCAL_KEK: secret, GCLOUD_PROJECT: 'memory-weaver-prod' })).toThrow(/demo-/);
    expect(kekFromEnv({ MW_LOCAL_KEK: secret, GCLOUD_PROJECT: 'demo-x' })?.id).toBe('local');
    expect(kekFromEnv({})).toBeNull();
  });

  it('refuses a malformed Cloud KMS key name', () => {
    expect(() => kekFromEnv({ MW_KMS_KEY: 'not-a-key' })).toThrow(/MW_KMS_KEY/);
  });
});

describe('the sealing transaction', () => {
  /** A writer that records what reaches it: the transaction's write methods, nothing of Firestore. */
  const recorder = () => {
    const writes: { path: string; data: Record<string, unknown> }[] = [];
    const record = (ref: { path: string }, data: Record<string, unknown>) => {
      writes.push({ path: ref.path, data });
      return undefined;
    };
    return { writes, tx: { create: record, set: record, update: record } };
  };
  const words = (text: string) => text.toLowerCase().split(/\s+/);
  // References only: nothing here talks to Firestore.
  const refs = getFirestore(initializeApp({ projectId: 'demo-unit' }, 'crypto-unit'));

  it('seals what a write puts in a sealed field, adds the blind index to a memory, and leaves other documents alone', () => {
    const c = cipherOf('ai-1', [[1, k1]]);
    const { writes, tx } = recorder();
    const sealing = sealingTransaction(tx as unknown as WriteBatch, c, words);
    sealing.create(refs.doc(memPath), { content: 'keeper lighthouse', metadata: {}, source: 's' });
    sealing.update(refs.doc('ai_registry/ai-1'), { name: 'plain' });
    const [memory, registry] = writes;
    expect(isSealed(memory?.data.content)).toBe(true);
    expect(memory?.data.terms).toEqual([c.term('keeper'), c.term('lighthouse')]);
    expect(registry?.data).toEqual({ name: 'plain' });
  });

  it('is the transaction itself for an AI without a key', () => {
    const { tx } = recorder();
    expect(sealingTransaction(tx as unknown as WriteBatch, null)).toBe(tx);
  });
});
