import { describe, expect, it } from 'vitest';
import { MEMORY_TYPES } from '@memory-weaver/protocol';
import { AI_REGISTRY, API_KEYS, aiRef } from '@memory-weaver/core';
import { adminIdToken, db, signIn } from '../support/emulators.js';
import { expectError, expectStatus, newAi, post } from '../support/http.js';

describe('POST /v1/handshake', () => {
  it('creates an AI with a UUID, a key shown once and the paths of its collections', async () => {
    const ai = await newAi('Assistant Name');
    expect(ai.ai_uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(ai.ai_name).toBe('Assistant Name');
    expect(ai.created).toBe(true);
    expect(ai.api_key).toMatch(/^mwk_[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(ai.api_key.startsWith(ai.api_key_prefix ?? '-')).toBe(true);
    // Spelt out rather than built with core's databasePaths(): these strings are the contract clients see.
    for (const tier of MEMORY_TYPES) expect(ai.database_paths[tier]).toBe(`ai_registry/${ai.ai_uuid}/${tier}`);

    const registry = (await aiRef(db, ai.ai_uuid).get()).data();
    expect(registry?.name).toBe('Assistant Name');
    expect(registry?.permissions.tiers).toEqual([...MEMORY_TYPES]);
    // The key is stored only as a hash: its secret appears nowhere in the database.
    const secret = ai.api_key.split('.')[1] as string;
    const keys = await db.collection(API_KEYS).where('aiUuid', '==', ai.ai_uuid).get();
    expect(keys.size).toBe(1);
    expect(JSON.stringify(keys.docs[0]?.data())).not.toContain(secret);
    expect(JSON.stringify(registry)).not.toContain(secret);
  });

  it("returns an AI's own session data for its key, without creating anything", async () => {
    const ai = await newAi('Self');
    const before = (await db.collection(AI_REGISTRY).count().get()).data().count;
    const reply = await post('/v1/handshake', { ai_name: 'Self' }, ai.api_key);
    expectStatus(reply, 200);
    expect(reply.body).toMatchObject({ ai_uuid: ai.ai_uuid, ai_name: 'Self', created: false });
    expect(reply.body.api_key).toBeUndefined();
    expect((await db.collection(AI_REGISTRY).count().get()).data().count).toBe(before);
  });

  it('answers a key holder who names another AI with 400 and creates nothing', async () => {
    const ai = await newAi('Right');
    expectError(await post('/v1/handshake', { ai_name: 'Wrong' }, ai.api_key), 400, 'invalid_argument');
  });

  it('requires credentials', async () => {
    expectError(await post('/v1/handshake', { ai_name: 'x' }), 401, 'unauthenticated');
    expectError(await post('/v1/handshake', { ai_name: 'x' }, 'not-a-token'), 401, 'unauthenticated');
    expectError(await post('/v1/handshake', { ai_name: 'x' }, 'mwk_short.key'), 401, 'unauthenticated');
  });

  it('refuses a signed-in user who is not an administrator', async () => {
    const { idToken } = await signIn();
    expectError(await post('/v1/handshake', { ai_name: 'x' }, idToken), 403, 'permission_denied');
  });

  it.each([
    ['a missing ai_name', {}],
    ['an empty ai_name', { ai_name: '   ' }],
    ['a non-string ai_name', { ai_name: 42 }],
    ['a name with a slash', { ai_name: 'a/b' }],
    ['an unknown field', { ai_name: 'ok', extra: true }],
  ])('rejects %s with 400', async (_label, body) => {
    expectError(await post('/v1/handshake', body, await adminIdToken()), 400, 'invalid_argument');
  });
});
