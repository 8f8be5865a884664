import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getFirestore, type DocumentData, type DocumentReference, type Firestore } from 'firebase-admin/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type Principal } from '@memory-weaver/core';
import { idempotencyScope, recordResult } from '../../../functions/src/http/idempotency.js';

// A real Firestore client that never connects: building document references is local.
let app: App;
let db: Firestore;
beforeAll(() => {
  app = initializeApp({ projectId: 'demo-unit-idempotency' }, 'unit-idempotency');
  db = getFirestore(app);
});
afterAll(async () => {
  await deleteApp(app);
});

const admin: Principal = { kind: 'admin', uid: 'u1' };
const aiKey: Principal = { kind: 'ai_key', keyId: 'k1', aiUuid: 'a1', aiName: 'Ada', cached: false };
const now = new Date('2025-01-01T00:00:00Z');
const request = { method: 'POST', path: '/create_memory', body: { a: 1, b: { c: [1, 2], d: 'x' } } };

describe('an Idempotency-Key scope', () => {
  it.each([
    ['empty', ''],
    ['with a space', 'a b'],
    ['longer than 255 characters', 'k'.repeat(256)],
    ['not ASCII', 'clé'],
  ])('rejects a key that is %s as a 400 on the header', (_what, key) => {
    let thrown: unknown;
    try {
      idempotencyScope(db, admin, key, request, now);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ code: 'invalid_argument', details: { field: 'Idempotency-Key' } });
  });

  it('accepts 255 visible ASCII characters', () => {
    expect(() => idempotencyScope(db, admin, '!~'.repeat(127) + 'x', request, now)).not.toThrow();
  });

  it('treats a retry whose body lists its keys in another order as the same request', () => {
    const reordered = { ...request, body: { b: { d: 'x', c: [1, 2] }, a: 1 } };
    expect(idempotencyScope(db, admin, 'key-1', reordered, now).fingerprint).toBe(
      idempotencyScope(db, admin, 'key-1', request, now).fingerprint,
    );
  });

  it.each([
    ['body', { ...request, body: { a: 2, b: { c: [1, 2], d: 'x' } } }],
    ['array order', { ...request, body: { a: 1, b: { c: [2, 1], d: 'x' } } }],
    ['path', { ...request, path: '/edit_memory' }],
    ['method', { ...request, method: 'PATCH' }],
  ])('tells a request with another %s from the first', (_what, other) => {
    expect(idempotencyScope(db, admin, 'key-1', other, now).fingerprint).not.toBe(
      idempotencyScope(db, admin, 'key-1', request, now).fingerprint,
    );
  });

  it("keeps one caller's key apart from the same key of another caller", () => {
    const a = idempotencyScope(db, admin, 'key-1', request, now);
    const b = idempotencyScope(db, aiKey, 'key-1', request, now);
    expect(a.ref.path).not.toBe(b.ref.path);
    expect(a.secret.equals(b.secret)).toBe(false);
  });

  it('names the record by a hash, never by the key itself', () => {
    const scope = idempotencyScope(db, aiKey, 'my-secret-key', request, now);
    expect(scope.ref.path).toMatch(/^idempotency_records\/[0-9a-f]{64}$/);
  });
});

describe('recording a result', () => {
  const recorder = () => {
    const created: { ref: DocumentReference; data: DocumentData }[] = [];
    return { created, writer: { create: (ref: DocumentReference, data: DocumentData) => created.push({ ref, data }) } };
  };

  it('adds nothing to the commit of a request without a key', () => {
    const { created, writer } = recorder();
    recordResult(writer, undefined, { status: 200, body: {} });
    expect(created).toEqual([]);
  });

  it('stores the result encrypted, so a key issued in it is never at rest in clear', () => {
    const { created, writer } = recorder();
    const scope = idempotencyScope(db, admin, 'key-1', request, now);
    recordResult(writer, scope, { status: 201, body: { api_key: 'mwk_visible_secret' } });
    expect(created).toHaveLength(1);
    expect(created[0]?.ref.path).toBe(scope.ref.path);
    expect(JSON.stringify(created[0]?.data)).not.toContain('mwk_visible_secret');
    expect(created[0]?.data.fingerprint).toBe(scope.fingerprint);
  });

  it('keeps the record for a day', () => {
    const { created, writer } = recorder();
    recordResult(writer, idempotencyScope(db, admin, 'key-1', request, now), { status: 200, body: null });
    const data = created[0]?.data;
    expect(data?.createdAt.toDate()).toEqual(now);
    expect(data?.expiresAt.toMillis() - now.getTime()).toBe(24 * 60 * 60 * 1000);
  });
});
