/**
 * Data-key rotation, the blind index, AIs stored before encryption and AIs that keep no vectors
 * (packages/core/src/crypto/README.md, functions/src/crypto/rotation.ts).
 */
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { beforeAll, describe, expect, it } from 'vitest';
import { MEMORY_TYPES, type MemoryType } from '@memory-weaver/protocol';
import { aiRef, dataKeyRef, isSealed, memoryRef, sealedFieldsOf } from '@memory-weaver/core';
import { adminIdToken, db } from '../support/emulators.js';
import { call, expectStatus, newAi, type AiSession, type Json } from '../support/http.js';
import { createMemory } from '../support/memories.js';
import { encryptedAi, rawDocs } from './helpers.js';

let admin: string;
beforeAll(async () => {
  admin = await adminIdToken();
});

/** POSTs rotate-key until the job says done (each request works up to its budget). */
async function rotate(ai: AiSession): Promise<Json> {
  for (let i = 0; i < 20; i++) {
    const r = await call('POST', `/v1/ais/${ai.ai_uuid}/encryption/rotate-key`, { token: admin });
    expectStatus(r, 202);
    if (r.body.rotation?.status === 'done') return r.body;
  }
  throw new Error('the rotation did not finish in 20 requests');
}

/** Every memory of the AI through the API, by id: content. */
async function allMemories(ai: AiSession): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const tier of MEMORY_TYPES) {
    let cursor: string | null = null;
    do {
      const r = await call(
        'GET',
        `/v1/ais/${ai.ai_uuid}/memories/${tier}?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        { token: ai.api_key },
      );
      expectStatus(r, 200);
      for (const m of r.body.memories as { memory_id: string; content: string }[]) out.set(m.memory_id, m.content);
      cursor = r.body.next_cursor as string | null;
    } while (cursor);
  }
  return out;
}

/** The key versions named by every sealed field under the AI (0 for a plaintext one). */
async function versionsStored(aiUuid: string): Promise<Set<number>> {
  const seen = new Set<number>();
  for (const d of await rawDocs(aiUuid)) {
    for (const f of sealedFieldsOf(d.path)?.fields ?? []) {
      const v: unknown = d.data[f];
      if (v === undefined || v === null) continue;
      seen.add(isSealed(v) ? v.kv : 0);
    }
  }
  return seen;
}

describe('data-key rotation', () => {
  it('re-encrypts everything under concurrent creates and edits: none lost, all readable, no old version left', async () => {
    const ai = await encryptedAi();
    const expected = new Map<string, string>();
    for (let i = 0; i < 30; i++) {
      const m = await createMemory(ai, 'working_memory', `seed memory ${i}`, { route: 'resource' });
      expected.set(m.memory_id, `seed memory ${i}`);
    }
    const ids = [...expected.keys()];
    const state = { writing: true };
    const writer = (async () => {
      let n = 0;
      while (state.writing || n < 20) {
        n++;
        if (n % 2 === 0) {
          const m = await createMemory(ai, 'long_term_memory', `written during rotation ${n}`, { route: 'resource' });
          expected.set(m.memory_id, `written during rotation ${n}`);
        } else {
          const id = ids[n % ids.length] as string;
          const r = await call('PATCH', `/v1/ais/${ai.ai_uuid}/memories/working_memory/${id}`, {
            token: ai.api_key,
            body: { content: `edited during rotation ${n}` },
          });
          expectStatus(r, 200);
          expected.set(id, `edited during rotation ${n}`);
        }
      }
    })();
    const status = await rotate(ai).finally(() => {
      state.writing = false;
    });
    await writer;
    expect(status).toMatchObject({ encrypted: true, key_version: 2, rotation: { status: 'done', to_version: 2 } });
    expect(status.rotation.rewritten).toBeGreaterThanOrEqual(30);

    expect(await allMemories(ai)).toEqual(expected);
    expect(await versionsStored(ai.ai_uuid)).toEqual(new Set([2]));
    const keys = (await dataKeyRef(db, ai.ai_uuid).get()).data();
    expect(Object.keys(keys?.keys as object)).toEqual(['2']);
    // The events of the rewritten memories still open: the log replays from its start.
    const events = await call('GET', `/v1/ais/${ai.ai_uuid}/events?limit=500`, { token: ai.api_key });
    expect(events.body.events.length).toBeGreaterThanOrEqual(50);
  });
});

describe('an AI stored before encryption', () => {
  it('stays readable, and a rotation encrypts it', async () => {
    const ai = await newAi();
    // What an AI created before this feature looks like: no key entry, plaintext documents.
    await dataKeyRef(db, ai.ai_uuid).delete();
    await aiRef(db, ai.ai_uuid).update({ dataKeyVersion: FieldValue.delete() });
    const at = Timestamp.now();
    const actor = { kind: 'admin', id: 'legacy' };
    await memoryRef(db, ai.ai_uuid, 'long_term_memory', 'legacy-1').set({
      content: 'The old lighthouse was painted red',
      metadata: { era: 'before' },
      createdAt: at,
      updatedAt: at,
      createdBy: actor,
      updatedBy: actor,
      source: 'POST /create_memory',
      updatedVia: 'POST /create_memory',
      movedFrom: null,
      movedAt: null,
    });
    const legacy = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory/legacy-1`, { token: ai.api_key });
    expect(legacy.body).toMatchObject({ content: 'The old lighthouse was painted red', metadata: { era: 'before' } });
    const added = await createMemory(ai, 'long_term_memory', 'A second plaintext memory', { route: 'resource' });
    expect(await versionsStored(ai.ai_uuid)).toEqual(new Set([0]));

    const status = await rotate(ai);
    expect(status).toMatchObject({ encrypted: true, key_version: 1, rotation: { from_versions: [0] } });
    expect(await versionsStored(ai.ai_uuid)).toEqual(new Set([1]));
    const memories = await allMemories(ai);
    expect(memories.get('legacy-1')).toBe('The old lighthouse was painted red');
    expect(memories.get(added.memory_id)).toBe('A second plaintext memory');
  });
});

describe('the blind index', () => {
  it('finds memories by keyword through keyed hashes of their words, which hold no word', async () => {
    const ai = await encryptedAi();
    const lighthouse = await createMemory(ai, 'long_term_memory', 'The lighthouse keepers retired in 1987', {
      route: 'resource',
    });
    await createMemory(ai, 'long_term_memory', 'Bread is baked at dawn', { route: 'resource' });
    const both = await createMemory(ai, 'long_term_memory', 'A keeper of bread and lighthouses', { route: 'resource' });

    const list = async (keyword: string, tier: MemoryType = 'long_term_memory') => {
      const r = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/${tier}?keyword=${encodeURIComponent(keyword)}`, {
        token: ai.api_key,
      });
      expectStatus(r, 200);
      return (r.body.memories as { memory_id: string }[]).map((m) => m.memory_id).sort();
    };
    expect(await list('lighthouse keeper')).toEqual([lighthouse.memory_id, both.memory_id].sort());
    expect(await list('bread lighthouse')).toEqual([both.memory_id]);
    expect(await list('submarine')).toEqual([]);

    const raw = (await memoryRef(db, ai.ai_uuid, 'long_term_memory', lighthouse.memory_id).get()).data();
    const terms = raw?.terms as string[];
    expect(terms.length).toBe(4);
    expect(JSON.stringify(terms)).not.toMatch(/lighthous|keeper|retir|1987/);
  });
});

describe('stored vectors', () => {
  it('are kept by default, and an AI that turns them off has none stored while semantic search still works', async () => {
    const keeps = await encryptedAi();
    const off = await encryptedAi();
    const turnedOff = await call('PATCH', `/v1/ais/${off.ai_uuid}/encryption`, {
      token: admin,
      body: { store_vectors: false },
    });
    expect(turnedOff.body).toMatchObject({ store_vectors: false });
    for (const ai of [keeps, off]) {
      await createMemory(ai, 'long_term_memory', 'My sister lives in Lisbon', { route: 'resource' });
      await createMemory(ai, 'long_term_memory', 'The car needs new tyres', { route: 'resource' });
      const r = await call('POST', `/v1/ais/${ai.ai_uuid}/search`, {
        token: ai.api_key,
        body: { query: 'where does my sibling live', mode: 'vector' },
      });
      expectStatus(r, 200);
      expect(r.body.results[0].memory.content).toBe('My sister lives in Lisbon');
      expect(r.body.results[0].vector_similarity).toBeGreaterThan(0);
    }
    expect((await aiRef(db, keeps.ai_uuid).collection('vectors').get()).size).toBe(2);
    expect((await aiRef(db, off.ai_uuid).collection('vectors').get()).size).toBe(0);
  });
});
