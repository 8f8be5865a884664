/**
 * Encryption at rest (packages/core/src/crypto/): what the API writes for an encrypted AI holds no
 * plaintext in Firestore, every read path still answers with the text, a ciphertext moved to
 * another document is refused, and deleting the AI makes a raw copy of its documents unreadable.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Keyring,
  KeyUnavailableError,
  dataKeyRef,
  isSealed,
  kekFromEnv,
  memoryRef,
  openDoc,
  sealedFieldsOf,
} from '@memory-weaver/core';
import { adminIdToken, db } from '../support/emulators.js';
import { call, expectStatus, type AiSession } from '../support/http.js';
import { createMemory } from '../support/memories.js';
import { encryptedAi, rawDocs, rawText } from './helpers.js';

const canary = () => `zqcanary${randomBytes(6).toString('hex')}`;

async function chat(ai: AiSession, text: string): Promise<string> {
  const r = await call('POST', '/v1/chat/completions', {
    token: ai.api_key,
    body: { model: 'fake-echo', ai_uuid: ai.ai_uuid, messages: [{ role: 'user', content: text }] },
  });
  expectStatus(r, 200);
  return r.body.memory_weaver.session_id as string;
}

let admin: string;
beforeAll(async () => {
  admin = await adminIdToken();
});

describe('stored documents', () => {
  it('hold no plaintext of memories, metadata, versions, events, turns or session names, while the API reads them all', async () => {
    const ai = await encryptedAi();
    expect((await call('GET', `/v1/ais/${ai.ai_uuid}/encryption`, { token: admin })).body).toMatchObject({
      encrypted: true,
    });
    const [first, second, said] = [canary(), canary(), canary()];
    const made = await createMemory(ai, 'long_term_memory', {
      content: `The ${first} is kept`,
      metadata: { tag: first },
    });
    const id = made.memory_id;
    const edited = await call('PATCH', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory/${id}`, {
      token: ai.api_key,
      body: { content: `Now the ${second} is kept` },
    });
    expectStatus(edited, 200);
    expectStatus(
      await call('POST', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory/${id}/move`, {
        token: ai.api_key,
        body: { to_memory_type: 'archive' },
      }),
      200,
    );
    const session = await chat(ai, `Please remember ${said} for me`);

    // Every read path answers with the text.
    const memory = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/archive/${id}`, { token: ai.api_key });
    expect(memory.body).toMatchObject({ content: `Now the ${second} is kept`, metadata: { tag: first } });
    const versions = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/archive/${id}/versions`, { token: ai.api_key });
    expect(JSON.stringify(versions.body)).toContain(`The ${first} is kept`);
    const events = await call('GET', `/v1/ais/${ai.ai_uuid}/events`, { token: ai.api_key });
    expect(JSON.stringify(events.body)).toContain(first);
    expect(JSON.stringify(events.body)).toContain(said);
    const turns = await call('GET', `/v1/ais/${ai.ai_uuid}/sessions/${session}`, { token: ai.api_key });
    expect(turns.body.chats[0].message).toContain(said);
    expect(turns.body.name).toContain(said);
    const found = await call('POST', `/v1/ais/${ai.ai_uuid}/search`, {
      token: ai.api_key,
      body: { query: second, mode: 'keyword' },
    });
    expect(found.body.results.map((h: { memory: { memory_id: string } }) => h.memory.memory_id)).toContain(id);

    // The raw documents don't.
    const text = await rawText(ai.ai_uuid);
    for (const c of [first, second, said]) expect(text).not.toContain(c);
    const docs = await rawDocs(ai.ai_uuid);
    const sealedFields = docs.flatMap((d) =>
      (sealedFieldsOf(d.path)?.fields ?? []).filter((f) => d.data[f] != null).map((f) => d.data[f] as unknown),
    );
    expect(sealedFields.length).toBeGreaterThanOrEqual(8);
    for (const v of sealedFields) expect(isSealed(v)).toBe(true);
  });
});

describe('ciphertext bound to its place', () => {
  it('refuses a memory whose content was copied from another memory, and leaks neither', async () => {
    const ai = await encryptedAi();
    const secret = canary();
    const a = await createMemory(ai, 'long_term_memory', `alpha ${secret}`);
    const b = await createMemory(ai, 'long_term_memory', 'bravo');
    const aRaw = (await memoryRef(db, ai.ai_uuid, 'long_term_memory', a.memory_id).get()).data();
    await memoryRef(db, ai.ai_uuid, 'long_term_memory', b.memory_id).update({ content: aRaw?.content });
    const swapped = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory/${b.memory_id}`, {
      token: ai.api_key,
    });
    expect(swapped.status).toBe(500);
    expect(swapped.body.error.code).toBe('internal');
    expect(swapped.text).not.toContain(secret);
    const original = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory/${a.memory_id}`, {
      token: ai.api_key,
    });
    expect(original.body.content).toBe(`alpha ${secret}`);
  });
});

describe('crypto-shredding', () => {
  it('makes a raw copy taken before the delete unreadable after it', async () => {
    const ai = await encryptedAi();
    const secret = canary();
    await createMemory(ai, 'personal_logs', `I noted ${secret}`);
    await chat(ai, `Keep ${secret} between us`);
    const copy = (await rawDocs(ai.ai_uuid)).filter((d) => (sealedFieldsOf(d.path)?.fields ?? []).length > 0);
    const sealedCopy = copy.filter((d) => Object.values(d.data).some(isSealed));
    expect(sealedCopy.length).toBeGreaterThanOrEqual(4);

    // Before: whoever holds the KEK and the key entry opens the copy.
    const before = await new Keyring(kekFromEnv(process.env)).cipherFor(db, ai.ai_uuid);
    expect(before).not.toBeNull();
    const opened = sealedCopy.map((d) => JSON.stringify(openDoc(before, d.path, d.data)));
    expect(opened.some((o) => o.includes(secret))).toBe(true);

    expectStatus(await call('DELETE', `/v1/ais/${ai.ai_uuid}`, { token: admin }), 200);

    // After: the key entry is gone, so nothing in the copy opens, even with the KEK.
    expect((await dataKeyRef(db, ai.ai_uuid).get()).exists).toBe(false);
    const after = await new Keyring(kekFromEnv(process.env)).cipherFor(db, ai.ai_uuid);
    expect(after).toBeNull();
    for (const d of sealedCopy) expect(() => openDoc(after, d.path, d.data)).toThrow(KeyUnavailableError);
  });
});
