/**
 * firestore.rules, enforced by the Firestore emulator. Its own project id keeps
 * clearFirestore() away from the data of the API tests running beside it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestEnvironment,
} from '@firebase/rules-unit-testing';
import { setLogLevel } from 'firebase/firestore';
import { AI_REGISTRY, API_KEYS, IDEMPOTENCY, databasePaths } from '@memory-weaver/core';
import { FIRESTORE_HOST } from '../support/emulators.js';
import { CHAT_SESSIONS } from '../support/paths.js';

const AI = '11111111-1111-4111-8111-111111111111';
const paths = databasePaths(AI);
let env: RulesTestEnvironment;

beforeAll(async () => {
  // Every denied write is also logged by the client SDK as a stream error; the assertions are what count.
  setLogLevel('silent');
  const [host, port] = FIRESTORE_HOST.split(':');
  env = await initializeTestEnvironment({
    projectId: 'demo-memory-weaver-rules',
    firestore: { rules: readFileSync('firestore.rules', 'utf8'), host: host as string, port: Number(port) },
  });
});
afterAll(() => env.cleanup());

beforeEach(async () => {
  await env.clearFirestore();
  await env.withSecurityRulesDisabled(async (ctx) => {
    const fs = ctx.firestore();
    await fs.doc(paths.registry).set({ name: 'Seeded' });
    await fs.doc(`${paths.long_term_memory}/m1`).set({ content: 'fact' });
    await fs.doc(`${paths.events}/e1`).set({ type: 'created' });
    await fs.doc(`${paths.registry}/${CHAT_SESSIONS}/s1`).set({ name: 'private' });
    await fs.doc(`${API_KEYS}/k1`).set({ aiUuid: AI, secretHash: 'ab' });
    await fs.doc(`${IDEMPOTENCY}/r1`).set({ payload: 'x' });
  });
});

// The test contexts hand out the compat Firestore, so the checks use its own methods
// (`fs.doc(path).get()`) rather than the modular functions, which expect another class.
const admin = () => env.authenticatedContext('admin-uid', { admin: true }).firestore();
const user = () => env.authenticatedContext('user-uid').firestore();
const anonymous = () => env.unauthenticatedContext().firestore();

describe('ai_registry/{ai}', () => {
  it('lets an administrator read an AI', () => assertSucceeds(admin().doc(paths.registry).get()));
  it('lets an administrator list AIs', () => assertSucceeds(admin().collection(AI_REGISTRY).get()));
  it('denies a signed-in non-admin', () => assertFails(user().doc(paths.registry).get()));
  it('denies anyone signed out', () => assertFails(anonymous().doc(paths.registry).get()));
  it('denies writes even to an administrator', () => assertFails(admin().doc(paths.registry).set({ name: 'x' })));
});

describe('memory tiers and the event log', () => {
  it('lets an administrator read a memory', () => assertSucceeds(admin().doc(`${paths.long_term_memory}/m1`).get()));
  it('lets an administrator read the event log', () => assertSucceeds(admin().collection(paths.events).get()));
  it('denies a non-admin a memory', () => assertFails(user().doc(`${paths.long_term_memory}/m1`).get()));
  it('denies an administrator writing a memory (writes go through the API)', () =>
    assertFails(admin().doc(`${paths.working_memory}/m2`).set({ content: 'direct' })));
  it('denies an administrator deleting an event', () => assertFails(admin().doc(`${paths.events}/e1`).delete()));
  it('denies other subcollections (chat sessions) even to an administrator', () =>
    assertFails(admin().doc(`${paths.registry}/${CHAT_SESSIONS}/s1`).get()));
});

describe('secrets', () => {
  it('denies API key records to an administrator', () => assertFails(admin().doc(`${API_KEYS}/k1`).get()));
  it('denies idempotency records to an administrator', () => assertFails(admin().doc(`${IDEMPOTENCY}/r1`).get()));
  it('denies any unknown collection', () => assertFails(admin().doc('elsewhere/x').get()));
});
