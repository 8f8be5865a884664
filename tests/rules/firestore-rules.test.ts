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
import { collection, doc, getDoc, getDocs, setDoc, deleteDoc } from 'firebase/firestore';
import { FIRESTORE_HOST } from '../support/emulators.js';

const AI = '11111111-1111-4111-8111-111111111111';
let env: RulesTestEnvironment;

beforeAll(async () => {
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
    await setDoc(doc(fs, `ai_registry/${AI}`), { name: 'Seeded' });
    await setDoc(doc(fs, `ai_registry/${AI}/long_term_memory/m1`), { content: 'fact' });
    await setDoc(doc(fs, `ai_registry/${AI}/events/e1`), { type: 'created' });
    await setDoc(doc(fs, `ai_registry/${AI}/chat_sessions/s1`), { name: 'private' });
    await setDoc(doc(fs, 'api_keys/k1'), { aiUuid: AI, secretHash: 'ab' });
    await setDoc(doc(fs, 'idempotency_records/r1'), { payload: 'x' });
  });
});

const admin = () => env.authenticatedContext('admin-uid', { admin: true }).firestore();
const user = () => env.authenticatedContext('user-uid').firestore();
const anonymous = () => env.unauthenticatedContext().firestore();

describe('ai_registry/{ai}', () => {
  it('lets an administrator read an AI', () => assertSucceeds(getDoc(doc(admin(), `ai_registry/${AI}`))));
  it('lets an administrator list AIs', () => assertSucceeds(getDocs(collection(admin(), 'ai_registry'))));
  it('denies a signed-in non-admin', () => assertFails(getDoc(doc(user(), `ai_registry/${AI}`))));
  it('denies anyone signed out', () => assertFails(getDoc(doc(anonymous(), `ai_registry/${AI}`))));
  it('denies writes even to an administrator', () =>
    assertFails(setDoc(doc(admin(), `ai_registry/${AI}`), { name: 'x' })));
});

describe('memory tiers and the event log', () => {
  it('lets an administrator read a memory', () =>
    assertSucceeds(getDoc(doc(admin(), `ai_registry/${AI}/long_term_memory/m1`))));
  it('lets an administrator read the event log', () =>
    assertSucceeds(getDocs(collection(admin(), `ai_registry/${AI}/events`))));
  it('denies a non-admin a memory', () => assertFails(getDoc(doc(user(), `ai_registry/${AI}/long_term_memory/m1`))));
  it('denies an administrator writing a memory (writes go through the API)', () =>
    assertFails(setDoc(doc(admin(), `ai_registry/${AI}/working_memory/m2`), { content: 'direct' })));
  it('denies an administrator deleting an event', () =>
    assertFails(deleteDoc(doc(admin(), `ai_registry/${AI}/events/e1`))));
  it('denies other subcollections (chat sessions) even to an administrator', () =>
    assertFails(getDoc(doc(admin(), `ai_registry/${AI}/chat_sessions/s1`))));
});

describe('secrets', () => {
  it('denies API key records to an administrator', () => assertFails(getDoc(doc(admin(), 'api_keys/k1'))));
  it('denies idempotency records to an administrator', () =>
    assertFails(getDoc(doc(admin(), 'idempotency_records/r1'))));
  it('denies any unknown collection', () => assertFails(getDoc(doc(admin(), 'elsewhere/x'))));
});
