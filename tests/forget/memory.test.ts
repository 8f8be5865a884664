/**
 * Forgetting a memory (issue 13): a canary memory, created, edited, moved and searched, then
 * deleted, is absent from every read path (the event log from its first event, relay replay from
 * the start of the log, versions, search and stored vectors, the chat context and the prompt the
 * model got, a brain export with events and vectors, an Idempotency-Key retry of its create) and
 * from every stored document of its AI, read raw with firebase-admin; the log keeps every number.
 * A forget task left by a request that died is finished by the sweep.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { START_OF_LOG, eventsRef, memoryRef } from '@memory-weaver/core';
import { finishForgetting } from '../../functions/src/forget/finish.js';
import { sweepForgotten } from '../../functions/src/forget/sweep.js';
import { forgetTaskRef, newTask, type ForgetTask } from '../../functions/src/forget/tasks.js';
import { versionsRef } from '../../functions/src/memory/versions.js';
import { vectorsRef } from '../../functions/src/search/vectors.js';
import { adminIdToken, db } from '../support/emulators.js';
import { eventLog } from '../support/events.js';
import { requestWith, systemOf } from '../support/fakeLlm.js';
import { call, expectError, expectStatus, newAi, type AiSession, type Json } from '../support/http.js';
import { collect, connected, request, until } from '../support/relay.js';
import { relaySession } from '../support/relaySession.js';
import { holding, walkAi, walkTopLevel } from './walk.js';

const relay = relaySession();

const base = (ai: AiSession) => `/v1/ais/${ai.ai_uuid}`;

async function allEvents(ai: AiSession): Promise<Json[]> {
  const r = await call('GET', `${base(ai)}/events?after=${START_OF_LOG}&limit=500`, { token: ai.api_key });
  expectStatus(r, 200);
  return r.body.events as Json[];
}

/** A memory whose content, and every earlier content, holds `canary`: created, edited, moved. */
async function livedCanary(ai: AiSession, canary: string, key: string): Promise<string> {
  const created = await call('POST', `${base(ai)}/memories/long_term_memory`, {
    token: ai.api_key,
    body: { content: `The vault code is ${canary} (first)`, metadata: { note: canary } },
    headers: { 'idempotency-key': key },
  });
  expectStatus(created, 201);
  const id = String(created.body.memory_id);
  const edited = await call('PATCH', `${base(ai)}/memories/long_term_memory/${id}`, {
    token: ai.api_key,
    body: { content: `The vault code is ${canary} (edited)` },
  });
  expectStatus(edited, 200);
  const moved = await call('POST', `${base(ai)}/memories/long_term_memory/${id}/move`, {
    token: ai.api_key,
    body: { to_memory_type: 'archive' },
  });
  expectStatus(moved, 200);
  return id;
}

describe('forgetting a memory', () => {
  it('a deleted canary memory is absent from every read path and every stored document; the log keeps its numbers', async () => {
    const ai = await newAi('Forgetful');
    const canary = `canary${randomUUID().replaceAll('-', '')}`;
    const createKey = `create-${randomUUID()}`;
    const keeper = await call('POST', `${base(ai)}/memories/working_memory`, {
      token: ai.api_key,
      body: { content: 'The keeper fact: the garden has tomatoes' },
    });
    expectStatus(keeper, 201);
    const id = await livedCanary(ai, canary, createKey);

    // Before the delete, the canary is where it should be: in the log, the versions, a stored vector.
    expect(JSON.stringify(await allEvents(ai))).toContain(canary);
    const versions = await call('GET', `${base(ai)}/memories/archive/${id}/versions`, { token: ai.api_key });
    expectStatus(versions, 200);
    expect(versions.body.versions).toHaveLength(2);
    const searched = await call('POST', `${base(ai)}/search`, { token: ai.api_key, body: { query: canary } });
    expectStatus(searched, 200);
    expect(JSON.stringify(searched.body)).toContain(canary);
    expect((await vectorsRef(db, ai.ai_uuid).doc(id).get()).exists).toBe(true);

    // A client following live, then the delete.
    const live = relay.open({ api_key: ai.api_key });
    await connected(live);
    expect(await request(live, 'join', { ai_uuid: ai.ai_uuid })).toMatchObject({ ok: true });
    const liveGot = collect(live);
    const deleted = await call('DELETE', `${base(ai)}/memories/archive/${id}`, { token: ai.api_key });
    expectStatus(deleted, 200);
    await until(() => liveGot.some((u) => u.event_id === deleted.body.event_id), 'the delete event, live');
    expect(JSON.stringify(liveGot)).not.toContain(canary);

    // The event log: every number still there, in order; the memory's events forgotten.
    const events = await allEvents(ai);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(JSON.stringify(events)).not.toContain(canary);
    const mine = events.filter((e) => e.memory_id === id);
    expect(mine.map((e) => e.type)).toEqual(['created', 'updated', 'moved', 'deleted']);
    for (const e of mine.slice(0, 3)) expect(e).toMatchObject({ memory: null, forgotten: true });
    expect(mine[2]).toMatchObject({ from_memory_type: 'long_term_memory', to_memory_type: 'archive' });
    expect(events.find((e) => e.memory_id === keeper.body.memory_id)?.memory?.content).toContain('keeper fact');

    // Relay replay from the very first event.
    const late = relay.open({ api_key: ai.api_key });
    await connected(late);
    const replayed = collect(late);
    expect(await request(late, 'join', { ai_uuid: ai.ai_uuid, since: START_OF_LOG })).toMatchObject({
      ok: true,
      replayed: events.length,
    });
    await until(() => replayed.length >= events.length, 'the whole log, replayed');
    expect(replayed.map((u) => u.event_id)).toEqual(events.map((e) => e.event_id));
    expect(JSON.stringify(replayed)).not.toContain(canary);
    expect(JSON.stringify(replayed)).toContain('keeper fact');

    // Versions, search, stored vectors.
    expectError(
      await call('GET', `${base(ai)}/memories/archive/${id}/versions`, { token: ai.api_key }),
      404,
      'not_found',
    );
    expect((await versionsRef(db, ai.ai_uuid).where('memoryId', '==', id).get()).empty).toBe(true);
    expect((await vectorsRef(db, ai.ai_uuid).doc(id).get()).exists).toBe(false);
    const after = await call('POST', `${base(ai)}/search`, { token: ai.api_key, body: { query: canary } });
    expectStatus(after, 200);
    expect(JSON.stringify(after.body)).not.toContain(canary);

    // Chat: the context preview and what the model was sent.
    const question = `marker-${randomUUID()} what is the vault code, and what grows in the garden?`;
    const preview = await call('POST', `${base(ai)}/context`, {
      token: ai.api_key,
      body: { messages: [{ role: 'user', content: 'what is the vault code?' }] },
    });
    expectStatus(preview, 200);
    expect(JSON.stringify(preview.body)).not.toContain(canary);
    const completion = await call('POST', '/v1/chat/completions', {
      token: ai.api_key,
      body: { model: 'fake-echo', messages: [{ role: 'user', content: question }] },
    });
    expectStatus(completion, 200);
    const prompt = systemOf(await requestWith(question.slice(0, 43)));
    expect(prompt).toContain('keeper fact');
    expect(prompt).not.toContain(canary);

    // A brain export with the event log and the vectors.
    const exported = await call('GET', `${base(ai)}/export?include=events,vectors`, {
      token: ai.api_key,
      contract: false,
    });
    expectStatus(exported, 200);
    expect(exported.text).toContain('keeper fact');
    expect(exported.text).not.toContain(canary);

    // A retry of the create with its Idempotency-Key: told the memory is gone, nothing created again.
    const retry = await call('POST', `${base(ai)}/memories/long_term_memory`, {
      token: ai.api_key,
      body: { content: `The vault code is ${canary} (first)`, metadata: { note: canary } },
      headers: { 'idempotency-key': createKey },
    });
    expectError(retry, 404, 'not_found');
    expect(retry.text).not.toContain(canary);
    const listed = await call('GET', `${base(ai)}/memories/long_term_memory`, { token: ai.api_key });
    expect(listed.body.memories).toEqual([]);

    // Every stored document of the AI, and every top-level document, read raw.
    expect(holding(await walkAi(ai.ai_uuid), canary)).toEqual([]);
    expect(holding(await walkTopLevel(), canary)).toEqual([]);
    expect(holding(await walkAi(ai.ai_uuid), 'keeper fact').length).toBeGreaterThan(0);
  });

  it('an edit racing the delete leaves no version and no event with the content', async () => {
    const ai = await newAi('Raced');
    const canary = `canary${randomUUID().replaceAll('-', '')}`;
    const id = await livedCanary(ai, canary, `k-${randomUUID()}`);
    const edits = Array.from({ length: 6 }, (_, i) =>
      call('PATCH', `${base(ai)}/memories/archive/${id}`, {
        token: ai.api_key,
        body: { content: `${canary} racing edit ${i}` },
      }),
    );
    const deletion = call('DELETE', `${base(ai)}/memories/archive/${id}`, { token: ai.api_key });
    const replies = await Promise.all([...edits, deletion]);
    for (const r of replies.slice(0, -1)) expect([200, 404]).toContain(r.status);
    expectStatus(replies.at(-1) as Json, 200);
    expect(JSON.stringify(await allEvents(ai))).not.toContain(canary);
    expect(holding(await walkAi(ai.ai_uuid), canary)).toEqual([]);
  });

  it('a forget task left by a request that died is finished by the sweep', async () => {
    const ai = await newAi('Crashed');
    const canary = `canary${randomUUID().replaceAll('-', '')}`;
    const id = await livedCanary(ai, canary, `k-${randomUUID()}`);
    // What the delete's commit does, without its scrubs: the memory goes, its event and a task are written.
    const log = await eventLog(ai.ai_uuid);
    await memoryRef(db, ai.ai_uuid, 'archive', id).delete();
    const task: ForgetTask = newTask(ai.ai_uuid, id, log.length + 1, null, new Date());
    await forgetTaskRef(db, ai.ai_uuid, id).set(task);
    expect(JSON.stringify(await eventLog(ai.ai_uuid))).toContain(canary);

    const report = await sweepForgotten({ db });
    expect(report.memories_forgotten).toBeGreaterThanOrEqual(1);
    expect((await forgetTaskRef(db, ai.ai_uuid, id).get()).exists).toBe(false);
    const stored = await eventLog(ai.ai_uuid);
    expect(stored).toHaveLength(log.length);
    expect(JSON.stringify(stored)).not.toContain(canary);
    expect(holding(await walkAi(ai.ai_uuid), canary)).toEqual([]);
    // Finishing again changes nothing (the sweep may meet a task its request is still finishing).
    await finishForgetting(db, task);
    expect(await eventLog(ai.ai_uuid)).toEqual(stored);
  });

  it('a task finishes only events before its delete: a memory imported again under the id keeps its new events', async () => {
    const ai = await newAi('Second life');
    const id = await livedCanary(ai, `canary${randomUUID().replaceAll('-', '')}`, `k-${randomUUID()}`);
    const deleted = await call('DELETE', `${base(ai)}/memories/archive/${id}`, { token: ai.api_key });
    expectStatus(deleted, 200);
    // A later event about the same id, as an import bringing the memory back would write.
    const next = (await eventLog(ai.ai_uuid)).length + 1;
    const reborn = await call('POST', `${base(ai)}/memories/working_memory`, {
      token: ai.api_key,
      body: { content: 'unrelated later memory' },
    });
    expectStatus(reborn, 201);
    await eventsRef(db, ai.ai_uuid).doc(String(next).padStart(12, '0')).update({ memoryId: id });
    await finishForgetting(db, newTask(ai.ai_uuid, id, Number(deleted.body.event_id), null, new Date()));
    const later = (await eventLog(ai.ai_uuid)).at(-1);
    expect(later).toMatchObject({ memoryId: id, type: 'created' });
    expect(later?.forgotten).toBeUndefined();
  });

  it('an administrator deleting a memory forgets it the same way', async () => {
    const ai = await newAi('By admin');
    const canary = `canary${randomUUID().replaceAll('-', '')}`;
    const id = await livedCanary(ai, canary, `k-${randomUUID()}`);
    const r = await call('DELETE', `${base(ai)}/memories/archive/${id}`, { token: await adminIdToken() });
    expectStatus(r, 200);
    expect(JSON.stringify(await allEvents(ai))).not.toContain(canary);
    expect(holding(await walkAi(ai.ai_uuid), canary)).toEqual([]);
  });
});
