import { beforeAll, describe, expect, it } from 'vitest';
import { memoryRef } from '@memory-weaver/core';
import { db } from '../support/emulators.js';
import { openedData } from '../support/opened.js';
import { eventLog } from '../support/events.js';
import { expectError, expectStatus, newAi, post, type AiSession } from '../support/http.js';
import { createMemory, storedState } from '../support/memories.js';

let ai: AiSession;
const scoped = (extra: Record<string, unknown>) => ({ ai_name: ai.ai_name, ai_uuid: ai.ai_uuid, ...extra });

beforeAll(async () => {
  ai = await newAi('Legacy Client');
});

describe('the seed contract: create / edit / delete / move / retrieve', () => {
  it('creates a memory from a string and records provenance and a created event', async () => {
    const reply = await post(
      '/create_memory',
      scoped({ memory_type: 'working_memory', memory_data: 'the sky is blue' }),
      ai.api_key,
    );
    expectStatus(reply, 200);
    const id = reply.body.memory_id as string;
    expect(reply.body.memory).toMatchObject({
      memory_id: id,
      memory_type: 'working_memory',
      content: 'the sky is blue',
      metadata: {},
    });

    const stored = await openedData(memoryRef(db, ai.ai_uuid, 'working_memory', id));
    expect(stored?.content).toBe('the sky is blue');
    expect(stored?.createdBy).toEqual({ kind: 'ai_key', id: ai.api_key_prefix?.slice(4) });
    expect(stored?.source).toBe('POST /create_memory');

    const events = await eventLog(ai.ai_uuid);
    const event = events.find((e) => e.id === reply.body.event_id);
    expect(event).toMatchObject({ type: 'created', memoryId: id, tier: 'working_memory', via: 'POST /create_memory' });
    expect(event?.actor).toEqual(stored?.createdBy);
    expect(event?.memory.content).toBe('the sky is blue');
  });

  it('creates a memory from { content, metadata } and ignores provenance claimed in the body', async () => {
    const { memory_id: id } = await createMemory(ai, 'long_term_memory', {
      content: 'likes tea',
      metadata: { topic: 'preferences', createdBy: 'forged' },
    });
    const stored = await openedData(memoryRef(db, ai.ai_uuid, 'long_term_memory', id));
    expect(stored?.metadata).toEqual({ topic: 'preferences', createdBy: 'forged' });
    expect(stored?.createdBy).toEqual({ kind: 'ai_key', id: ai.api_key_prefix?.slice(4) });
  });

  it('edits a memory and logs an updated event', async () => {
    const { memory_id: id } = await createMemory(ai, 'personal_logs', {
      content: 'first thought',
      metadata: { mood: 'calm' },
    });
    const reply = await post(
      '/edit_memory',
      scoped({ memory_type: 'personal_logs', memory_id: id, memory_data: 'second thought' }),
      ai.api_key,
    );
    expectStatus(reply, 200);
    expect(reply.body.memory).toMatchObject({ content: 'second thought', metadata: { mood: 'calm' } });
    const stored = await openedData(memoryRef(db, ai.ai_uuid, 'personal_logs', id));
    expect(stored?.content).toBe('second thought');
    expect(stored?.updatedVia).toBe('POST /edit_memory');
    const event = (await eventLog(ai.ai_uuid)).find((e) => e.id === reply.body.event_id);
    expect(event).toMatchObject({ type: 'updated', memoryId: id, tier: 'personal_logs' });
  });

  it('deletes a memory and logs a deleted event', async () => {
    const { memory_id: id } = await createMemory(ai, 'archive', 'old news');
    const reply = await post('/delete_memory', scoped({ memory_type: 'archive', memory_id: id }), ai.api_key);
    expectStatus(reply, 200);
    expect((await memoryRef(db, ai.ai_uuid, 'archive', id).get()).exists).toBe(false);
    const event = (await eventLog(ai.ai_uuid)).find((e) => e.id === reply.body.event_id);
    expect(event).toMatchObject({ type: 'deleted', memoryId: id, tier: 'archive', memory: null });
  });

  it('moves a memory keeping its id, content, metadata and creation time, and records where it came from', async () => {
    const { memory_id: id } = await createMemory(ai, 'working_memory', {
      content: 'worth keeping',
      metadata: { k: 1 },
    });
    const before = await openedData(memoryRef(db, ai.ai_uuid, 'working_memory', id));
    const reply = await post(
      '/move_memory',
      scoped({ from_memory_type: 'working_memory', to_memory_type: 'long_term_memory', document_id: id }),
      ai.api_key,
    );
    expectStatus(reply, 200);
    expect((await memoryRef(db, ai.ai_uuid, 'working_memory', id).get()).exists).toBe(false);
    const after = await openedData(memoryRef(db, ai.ai_uuid, 'long_term_memory', id));
    expect(after).toMatchObject({ content: 'worth keeping', metadata: { k: 1 }, movedFrom: 'working_memory' });
    expect(after?.createdAt.isEqual(before?.createdAt)).toBe(true);
    expect(after?.createdBy).toEqual(before?.createdBy);
    const event = (await eventLog(ai.ai_uuid)).find((e) => e.id === reply.body.event_id);
    expect(event).toMatchObject({
      type: 'moved',
      memoryId: id,
      fromTier: 'working_memory',
      toTier: 'long_term_memory',
    });
  });

  it('retrieves newest first, honours limit, and filters by text or metadata', async () => {
    const other = await newAi('Retriever');
    const s = (extra: Record<string, unknown>) => ({ ai_name: 'Retriever', ai_uuid: other.ai_uuid, ...extra });
    const ids: string[] = [];
    for (const [content, topic] of [
      ['alpha apple', 'fruit'],
      ['beta bean', 'veg'],
      ['gamma grape', 'fruit'],
    ] as const) {
      ids.push((await createMemory(other, 'working_memory', { content, metadata: { topic } })).memory_id);
    }
    const all = await post('/retrieve_memories', s({ memory_type: 'working_memory' }), other.api_key);
    expectStatus(all, 200);
    expect(all.body.memories.map((m: { memory_id: string }) => m.memory_id)).toEqual([...ids].reverse());

    const limited = await post('/retrieve_memories', s({ memory_type: 'working_memory', limit: 2 }), other.api_key);
    expect(limited.body.memories).toHaveLength(2);

    const byText = await post(
      '/retrieve_memories',
      s({ memory_type: 'working_memory', filter_query: 'GRAPE' }),
      other.api_key,
    );
    expect(byText.body.memories.map((m: { content: string }) => m.content)).toEqual(['gamma grape']);

    const byMeta = await post(
      '/retrieve_memories',
      s({ memory_type: 'working_memory', filter_query: { topic: 'fruit' } }),
      other.api_key,
    );
    expect(byMeta.body.memories.map((m: { content: string }) => m.content)).toEqual(['gamma grape', 'alpha apple']);
  });
});

describe('bad input leaves the data exactly as it was', () => {
  it.each([
    ['an unknown memory_type', '/create_memory', { memory_type: 'dreams', memory_data: 'x' }, 400, 'invalid_argument'],
    ['a missing memory_data', '/create_memory', { memory_type: 'archive' }, 400, 'invalid_argument'],
    ['an empty content', '/create_memory', { memory_type: 'archive', memory_data: '' }, 400, 'invalid_argument'],
    [
      'a wrong-typed memory_data',
      '/create_memory',
      { memory_type: 'archive', memory_data: 12 },
      400,
      'invalid_argument',
    ],
    [
      'metadata Firestore cannot store',
      '/create_memory',
      { memory_type: 'archive', memory_data: { content: 'x', metadata: { grid: [[1, 2]] } } },
      400,
      'invalid_argument',
    ],
    [
      'metadata that is not an object',
      '/create_memory',
      { memory_type: 'archive', memory_data: { content: 'x', metadata: [1] } },
      400,
      'invalid_argument',
    ],
    [
      'a wrong ai_name',
      '/create_memory',
      { memory_type: 'archive', memory_data: 'x', ai_name: 'Somebody Else' },
      400,
      'invalid_argument',
    ],
    [
      'a malformed ai_uuid',
      '/create_memory',
      { memory_type: 'archive', memory_data: 'x', ai_uuid: 'nope' },
      400,
      'invalid_argument',
    ],
    [
      'a missing memory (edit)',
      '/edit_memory',
      { memory_type: 'archive', memory_id: 'missing', memory_data: 'x' },
      404,
      'not_found',
    ],
    ['a missing memory (delete)', '/delete_memory', { memory_type: 'archive', memory_id: 'missing' }, 404, 'not_found'],
    [
      'a missing memory (move)',
      '/move_memory',
      { from_memory_type: 'archive', to_memory_type: 'personal_logs', document_id: 'missing' },
      404,
      'not_found',
    ],
    [
      'a move to the same tier',
      '/move_memory',
      { from_memory_type: 'archive', to_memory_type: 'archive', document_id: 'abc' },
      400,
      'invalid_argument',
    ],
    ['an id with a slash', '/delete_memory', { memory_type: 'archive', memory_id: 'a/b' }, 400, 'invalid_argument'],
    ['a negative limit', '/retrieve_memories', { memory_type: 'archive', limit: -1 }, 400, 'invalid_argument'],
  ])('rejects %s', async (_label, path, extra, status, code) => {
    await createMemory(ai, 'working_memory', 'unchanged');
    const before = await storedState(ai.ai_uuid);
    expectError(await post(path, scoped(extra as Record<string, unknown>), ai.api_key), status, code as never);
    expect(await storedState(ai.ai_uuid)).toEqual(before);
  });
});
