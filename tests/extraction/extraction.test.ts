/**
 * Memory that learns from conversations, end to end on the emulators: chats through the official
 * `openai` client (and `observe`), the `extract` Firestore trigger running each job, the model
 * stand-in answering extraction from the rules each test scripts for its AI
 * (tests/fake-llm/extraction.mjs). Seed 003's scenarios are the first three tests.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { openSnapshots, tierRef } from '@memory-weaver/core';
import { fakeLlmAppDeps, startApp } from '../support/app.js';
import { API_URL, adminIdToken, db } from '../support/emulators.js';
import { eventLog } from '../support/events.js';
import { requestWith, systemOf } from '../support/fakeLlm.js';
import { call, expectError, expectStatus, newAi, type AiSession, type Json } from '../support/http.js';
import { quietWindow } from '../support/wait.js';

const FAKE_LLM_URL = process.env.FAKE_LLM_URL ?? 'http://127.0.0.1:5055';
const client = (key: string) => new OpenAI({ apiKey: key, baseURL: `${API_URL}/v1`, maxRetries: 0, timeout: 20_000 });

interface Script {
  facts?: { when: string; content: string; kind?: string; subject?: string }[];
  raw?: string[];
  decide?: { when: string; action: 'add' | 'duplicate' | 'supersede'; target?: string }[];
  fail?: { stage: 'facts' | 'decide'; kind: string; times?: number };
}
/** Scripts the stand-in's extraction answers for this AI and turns extraction on (it is off by default). */
async function script(ai: AiSession, s: Script): Promise<void> {
  const res = await fetch(`${FAKE_LLM_URL}/__extraction/script`, {
    method: 'POST',
    body: JSON.stringify({ user: ai.ai_uuid, ...s }),
  });
  expect(res.status).toBe(204);
  const on = await call('PATCH', `/v1/ais/${ai.ai_uuid}/extraction`, { token: ai.api_key, body: { enabled: true } });
  expectStatus(on, 200);
  expect(on.body).toMatchObject({ active: true, model_configured: true, model: 'fake-echo' });
}

const PEOPLE: Script = {
  facts: [
    { when: 'my name is (\\w+)', content: "The user's name is $1.", kind: 'identity', subject: 'name' },
    {
      when: "I'm a (software engineer|teacher|nurse)",
      content: 'The user works as a $1.',
      kind: 'role',
      subject: 'job',
    },
    {
      when: 'I prefer (\\w+) over (\\w+)',
      content: 'The user prefers $1 over $2 for programming.',
      kind: 'preference',
      subject: 'preferred language',
    },
  ],
  decide: [{ when: 'prefers', action: 'supersede', target: 'prefers' }],
};

const chat = (ai: AiSession, content: string) =>
  client(ai.api_key).chat.completions.create({ model: 'fake-echo', messages: [{ role: 'user', content }] });

async function jobs(ai: AiSession): Promise<Json[]> {
  const r = await call('GET', `/v1/ais/${ai.ai_uuid}/extractions?limit=100`, { token: ai.api_key });
  expectStatus(r, 200);
  return r.body.extractions as Json[];
}

/** Waits until `n` jobs have ended (done or failed) and returns them, newest first. */
async function settled(ai: AiSession, n: number): Promise<Json[]> {
  let last: Json[] = [];
  await expect
    .poll(
      async () => {
        last = await jobs(ai);
        return last.filter((j) => j.status === 'done' || j.status === 'failed').length;
      },
      { timeout: 30_000, interval: 150 },
    )
    .toBe(n);
  return last;
}

async function tier(ai: AiSession, t: string): Promise<Json[]> {
  const r = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/${t}?limit=100`, { token: ai.api_key });
  expectStatus(r, 200);
  return r.body.memories as Json[];
}

describe('extraction: seed 003', () => {
  it('a name given in one chat is known in a new chat', async () => {
    const ai = await newAi('Learner');
    await script(ai, PEOPLE);
    await chat(ai, "Hi! My name is Honda and I'm a software engineer.");
    const [job] = await settled(ai, 1);
    expect(job.status).toBe('done');
    expect(job.counts).toMatchObject({ added: 2, duplicate: 0, superseded: 0 });
    const facts = (await tier(ai, 'long_term_memory')).map((m) => m.content).sort();
    expect(facts).toEqual(["The user's name is Honda.", 'The user works as a software engineer.'].sort());
    const extracted = (await tier(ai, 'long_term_memory'))[0];
    expect(extracted.created_by.kind).toBe('extraction');
    expect(extracted.origin).toMatchObject({ kind: 'extraction', job_id: job.extraction_id, turn_ids: job.turn_ids });
    expect(job.turn_ids).toHaveLength(1);

    const marker = `m-${randomUUID()}`;
    await chat(ai, `What is my name? ${marker}`);
    expect(systemOf(await requestWith(marker))).toContain("The user's name is Honda.");
    // Its progress was on the AI's stream: started, a created per fact, finished with the counts.
    const types = (await eventLog(ai.ai_uuid)).map((e: Json) => e.type);
    expect(types).toContain('extraction_started');
    expect(types).toContain('extraction_finished');
  });

  it('is off until turned on: a chat then queues nothing', async () => {
    const ai = await newAi('Quiet');
    const status = await call('GET', `/v1/ais/${ai.ai_uuid}/extraction`, { token: ai.api_key });
    expect(status.body).toMatchObject({ active: false, model_configured: true, settings: { enabled: false } });
    await chat(ai, 'my name is Quentin');
    await quietWindow();
    expect(await jobs(ai)).toEqual([]);
  });

  it('"help me debug this function" stores nothing', async () => {
    const ai = await newAi('Debugger');
    await script(ai, PEOPLE);
    await chat(ai, 'Help me debug this function: def add(a, b): return a - b');
    const [job] = await settled(ai, 1);
    expect(job.status).toBe('done');
    expect(job.counts).toEqual({ added: 0, duplicate: 0, superseded: 0, rejected: 0, queued: 0 });
    expect(await tier(ai, 'long_term_memory')).toEqual([]);
  });

  it('a changed preference supersedes the old one: archived, linked, both in the history', async () => {
    const ai = await newAi('Prefs');
    await script(ai, PEOPLE);
    await chat(ai, 'I prefer Python over JavaScript.');
    await settled(ai, 1);
    const [old] = await tier(ai, 'long_term_memory');
    await chat(ai, 'These days I prefer Rust over Python.');
    const [latest] = await settled(ai, 2);
    expect(latest.counts.superseded).toBe(1);
    const now = await tier(ai, 'long_term_memory');
    expect(now.map((m) => m.content)).toEqual(['The user prefers Rust over Python for programming.']);
    const archived = await tier(ai, 'archive');
    expect(archived).toHaveLength(1);
    expect(archived[0]).toMatchObject({
      memory_id: old.memory_id,
      content: old.content,
      superseded_by: now[0].memory_id,
    });
    const history = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/archive/${old.memory_id}/versions`, {
      token: ai.api_key,
    });
    expectStatus(history, 200);
    expect(history.body.versions).toHaveLength(1);
    expect(history.body.versions[0]).toMatchObject({ change: 'superseded' });
    expect(history.body.versions[0].memory).toMatchObject({ memory_type: 'long_term_memory', content: old.content });
  });
});

describe('extraction: dedup, concurrency, isolation', () => {
  it('a preference that changes back supersedes again (an archived value is history, not an echo)', async () => {
    const ai = await newAi('ChangeBack');
    await script(ai, PEOPLE);
    for (const [i, said] of [
      'I prefer Python over Java.',
      'I prefer Java over Python.',
      'I prefer Python over Java.',
    ].entries()) {
      await chat(ai, said);
      await settled(ai, i + 1);
    }
    expect((await tier(ai, 'long_term_memory')).map((m) => m.content)).toEqual([
      'The user prefers Python over Java for programming.',
    ]);
    expect((await jobs(ai))[0].counts).toMatchObject({ superseded: 1, rejected: 0 });
    expect(await tier(ai, 'archive')).toHaveLength(2);
  });

  it('a fact stated in two sessions is stored once', async () => {
    const ai = await newAi('Twice');
    await script(ai, PEOPLE);
    await chat(ai, 'my name is Ada');
    await settled(ai, 1);
    await chat(ai, 'Hello again, my name is Ada');
    const [second] = await settled(ai, 2);
    // The second chat had the stored fact in its context, so the candidate only echoes it: the
    // gate rejects it before dedup is asked (an echo of an injected memory is never new).
    expect(second.counts).toMatchObject({ added: 0, superseded: 0 });
    expect(Number(second.counts.duplicate) + Number(second.counts.rejected)).toBe(1);
    expect(await tier(ai, 'long_term_memory')).toHaveLength(1);
  });

  it('a fact observed again is a duplicate: stored once, confirmed, with the exchange that confirmed it', async () => {
    const ai = await newAi('Confirmed');
    await script(ai, PEOPLE);
    const observe = (text: string) =>
      call('POST', `/v1/ais/${ai.ai_uuid}/observe`, {
        token: ai.api_key,
        body: { messages: [{ role: 'user', content: text }], session_id: 's1' },
      });
    expectStatus(await observe('my name is Ada'), 202);
    await settled(ai, 1);
    expectStatus(await observe('As I said, my name is Ada'), 202);
    const [second] = await settled(ai, 2);
    expect(second.counts).toMatchObject({ added: 0, duplicate: 1 });
    const stored = await tier(ai, 'long_term_memory');
    expect(stored).toHaveLength(1);
    expect(stored[0].confirmations).toMatchObject({ count: 1, last_job_id: second.extraction_id });
    expect(second.decisions[0]).toMatchObject({ decision: 'duplicate', target_id: stored[0].memory_id });
    const confirmed = (await eventLog(ai.ai_uuid)).filter((e: Json) => e.type === 'confirmed');
    expect(confirmed).toHaveLength(1);
  });

  it('two exchanges extracted at the same time store the same fact once', async () => {
    const ai = await newAi('Concurrent');
    await script(ai, PEOPLE);
    const observe = (text: string) =>
      call('POST', `/v1/ais/${ai.ai_uuid}/observe`, {
        token: ai.api_key,
        body: { messages: [{ role: 'user', content: text }] },
      });
    const replies = await Promise.all([observe('my name is Grace'), observe('By the way, my name is Grace')]);
    for (const r of replies) expectStatus(r, 202);
    const done = await settled(ai, 2);
    expect(done.map((j) => j.status)).toEqual(['done', 'done']);
    expect((await tier(ai, 'long_term_memory')).map((m) => m.content)).toEqual(["The user's name is Grace."]);
  });

  it("another AI's memories are never dedup candidates", async () => {
    const other = await newAi('Other');
    await call('POST', `/v1/ais/${other.ai_uuid}/memories/long_term_memory`, {
      token: other.api_key,
      body: { content: "The user's name is Linus." },
    });
    const ai = await newAi('Isolated');
    await script(ai, PEOPLE);
    await chat(ai, 'my name is Linus');
    const [job] = await settled(ai, 1);
    expect(job.counts.added).toBe(1);
    expect(job.decisions[0]).not.toHaveProperty('target_id');
  });
});

describe('extraction: the gate', () => {
  it('a secret and a card number in a conversation are never stored and never logged', async () => {
    const ai = await newAi('Secrets');
    const key = `sk-proj-${randomUUID().replace(/-/g, '')}${randomUUID().replace(/-/g, '')}`;
    const card = '4111 1111 1111 1111';
    await script(ai, {
      raw: [`The user's OpenAI API key is ${key}.`, `The user's card number is ${card}.`, 'The user lives in Lisbon.'],
    });
    await chat(ai, `Keep these: my key is ${key} and my card is ${card}. I live in Lisbon.`);
    const [job] = await settled(ai, 1);
    expect(job.counts).toMatchObject({ added: 1, rejected: 2 });
    expect(job.rejected_by_reason).toEqual({ secret: 2 });
    // Nowhere: memories of any tier, the stored turn, the events, the job.
    const everything = JSON.stringify([
      ...(await Promise.all(
        ['working_memory', 'long_term_memory', 'personal_logs', 'archive'].map((t) => tier(ai, t)),
      )),
      await eventLog(ai.ai_uuid),
      (await call('GET', `/v1/ais/${ai.ai_uuid}/extractions/${job.extraction_id}`, { token: ai.api_key })).body,
      // Turns and jobs are sealed at rest: opened as the API opens them, so a secret inside the
      // ciphertext still counts.
      (
        await openSnapshots(
          db,
          ai.ai_uuid,
          (await db.collectionGroup('chats').where('userId', '!=', '').get()).docs.filter((d) =>
            d.ref.path.includes(ai.ai_uuid),
          ),
        )
      ).map((d) => d.data()),
      (
        await openSnapshots(db, ai.ai_uuid, (await db.collection(`ai_registry/${ai.ai_uuid}/extractions`).get()).docs)
      ).map((d) => d.data()),
    ]);
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(card);
    expect(everything).toContain('The user lives in Lisbon.');
    const logs = readFileSync('artifacts/logs/emulators.log', 'utf8');
    expect(logs).not.toContain(key);
    expect(logs).not.toContain(card);
  });
});

describe('extraction: failures and retries', () => {
  for (const kind of ['malformed_json', 'schema_invalid', '429', '500', 'timeout']) {
    it(`a model answer "${kind}" writes nothing, records the failure, and a retry succeeds once`, async () => {
      const ai = await newAi(`Fail-${kind}`);
      await script(ai, { ...PEOPLE, fail: { stage: 'facts', kind, times: 1 } });
      await chat(ai, 'my name is Katherine');
      const [failed] = await settled(ai, 1);
      expect(failed.status).toBe('failed');
      expect(failed.error.code).toMatch(/^model_/);
      expect(await tier(ai, 'long_term_memory')).toEqual([]);
      expect((await eventLog(ai.ai_uuid)).map((e: Json) => e.type)).toContain('extraction_failed');

      const retry = await call('POST', `/v1/ais/${ai.ai_uuid}/extractions/${failed.extraction_id}/retry`, {
        token: ai.api_key,
      });
      expectStatus(retry, 202);
      await expect.poll(async () => (await jobs(ai))[0].status, { timeout: 30_000, interval: 150 }).toBe('done');
      expect((await tier(ai, 'long_term_memory')).map((m) => m.content)).toEqual(["The user's name is Katherine."]);
      // A finished job can't be run again.
      const again = await call('POST', `/v1/ais/${ai.ai_uuid}/extractions/${failed.extraction_id}/retry`, {
        token: ai.api_key,
      });
      expectError(again, 409, 'conflict');
    });
  }
});

describe('extraction: review, restore, settings', () => {
  it('review mode: candidates wait; approve writes one, reject writes none', async () => {
    const ai = await newAi('Reviewed');
    await script(ai, PEOPLE);
    const set = await call('PATCH', `/v1/ais/${ai.ai_uuid}/extraction`, { token: ai.api_key, body: { review: true } });
    expectStatus(set, 200);
    expect(set.body.settings.review).toBe(true);
    await chat(ai, "my name is Mary and I'm a teacher");
    const [job] = await settled(ai, 1);
    expect(job.counts.queued).toBe(2);
    expect(await tier(ai, 'long_term_memory')).toEqual([]);
    const queue = await call('GET', `/v1/ais/${ai.ai_uuid}/review`, { token: ai.api_key });
    expectStatus(queue, 200);
    const items = queue.body.items as Json[];
    expect(items.map((i) => i.content).sort()).toEqual(
      ["The user's name is Mary.", 'The user works as a teacher.'].sort(),
    );
    expect(items[0].source_text).toContain('my name is Mary');
    const name = items.find((i) => i.content.includes('Mary'));
    const role = items.find((i) => i.content.includes('teacher'));
    const approved = await call('POST', `/v1/ais/${ai.ai_uuid}/review/${name.review_id}/approve`, {
      token: ai.api_key,
    });
    expectStatus(approved, 200);
    const rejected = await call('POST', `/v1/ais/${ai.ai_uuid}/review/${role.review_id}/reject`, { token: ai.api_key });
    expectStatus(rejected, 200);
    expect((await tier(ai, 'long_term_memory')).map((m) => m.content)).toEqual(["The user's name is Mary."]);
    expect((await call('GET', `/v1/ais/${ai.ai_uuid}/review`, { token: ai.api_key })).body.items).toEqual([]);
    const again = await call('POST', `/v1/ais/${ai.ai_uuid}/review/${name.review_id}/approve`, { token: ai.api_key });
    expectError(again, 404, 'not_found');
  });

  it('undo: an added memory is deleted; a supersede is reversed; undoing twice is a 409', async () => {
    const ai = await newAi('Undo');
    await script(ai, PEOPLE);
    await chat(ai, 'I prefer Python over Java.');
    const [first] = await settled(ai, 1);
    const [old] = await tier(ai, 'long_term_memory');
    await chat(ai, 'Now I prefer Go over Python.');
    const [second] = await settled(ai, 2);
    expect(second.decisions[0]).toMatchObject({ decision: 'superseded', target_id: old.memory_id });
    const undo = (job: Json) =>
      call('POST', `/v1/ais/${ai.ai_uuid}/extractions/${job.extraction_id}/decisions/0/undo`, { token: ai.api_key });
    const reversed = await undo(second);
    expectStatus(reversed, 200);
    expect(reversed.body).toMatchObject({ decision: 'superseded', undone: true, memory_id: old.memory_id });
    const back = await tier(ai, 'long_term_memory');
    expect(back.map((m) => [m.memory_id, m.content])).toEqual([[old.memory_id, old.content]]);
    expect(back[0]).not.toHaveProperty('superseded_by');
    expect(await tier(ai, 'archive')).toEqual([]);
    expectError(await undo(second), 409, 'conflict');
    expectStatus(await undo(first), 200);
    expect(await tier(ai, 'long_term_memory')).toEqual([]);
    const job = await call('GET', `/v1/ais/${ai.ai_uuid}/extractions/${first.extraction_id}`, { token: ai.api_key });
    expect(job.body.decisions[0]).toMatchObject({ decision: 'added', undone: true });
  });

  it('restoring an old version is itself a new version', async () => {
    const ai = await newAi('Restore');
    const created = await call('POST', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory`, {
      token: ai.api_key,
      body: { content: 'first words', metadata: { n: 1 } },
    });
    const id = created.body.memory_id as string;
    const path = `/v1/ais/${ai.ai_uuid}/memories/long_term_memory/${id}`;
    expectStatus(await call('PATCH', path, { token: ai.api_key, body: { content: 'second words' } }), 200);
    const history = await call('GET', `${path}/versions`, { token: ai.api_key });
    expect(history.body.versions.map((v: Json) => v.memory.content)).toEqual(['first words']);
    const restored = await call('POST', `${path}/versions/${history.body.versions[0].version_id}/restore`, {
      token: ai.api_key,
    });
    expectStatus(restored, 200);
    expect(restored.body.memory).toMatchObject({ content: 'first words', metadata: { n: 1 } });
    const after = await call('GET', `${path}/versions`, { token: ai.api_key });
    expect(after.body.versions.map((v: Json) => [v.change, v.memory.content])).toEqual([
      ['restored', 'second words'],
      ['updated', 'first words'],
    ]);
    const other = await newAi('Nosy');
    expectError(await call('GET', `${path}/versions`, { token: other.api_key }), 404, 'not_found');
  });

  it('with no model configured, extraction is off and the API says so', async () => {
    const app = await startApp({ ...fakeLlmAppDeps(), model: null });
    try {
      const ai = await newAi('NoModel');
      const status = await call('GET', `/v1/ais/${ai.ai_uuid}/extraction`, { token: ai.api_key, baseUrl: app.url });
      expectStatus(status, 200);
      expect(status.body).toMatchObject({ model_configured: false, model: null, active: false });
      const observe = await call('POST', `/v1/ais/${ai.ai_uuid}/observe`, {
        token: ai.api_key,
        baseUrl: app.url,
        body: { messages: [{ role: 'user', content: 'my name is Nobody' }] },
      });
      expectError(observe, 409, 'conflict');
      expect(observe.body.error.message).toContain('no model is configured');
    } finally {
      await app.close();
    }
  });

  it('bad input gets a precise 400', async () => {
    const ai = await newAi('Bad');
    const bad = await call('POST', `/v1/ais/${ai.ai_uuid}/observe`, {
      token: ai.api_key,
      body: { messages: [{ role: 'assistant', content: 'no user here' }] },
    });
    expectError(bad, 400, 'invalid_argument');
    expectError(
      await call('PATCH', `/v1/ais/${ai.ai_uuid}/extraction`, { token: ai.api_key, body: { target_tier: 'attic' } }),
      400,
      'invalid_argument',
    );
    expectError(await call('GET', `/v1/ais/${ai.ai_uuid}/extractions/nope`, { token: ai.api_key }), 404, 'not_found');
  });

  it('extraction for a deleted AI does nothing', async () => {
    const ai = await newAi('Gone');
    await script(ai, PEOPLE);
    expectStatus(await call('DELETE', `/v1/ais/${ai.ai_uuid}`, { token: await adminIdToken() }), 200);
    // A job queued just before the delete reaches the trigger after it (written here directly, as
    // the race would leave it): the attempt finds no live AI and writes nothing.
    const job = db.doc(`ai_registry/${ai.ai_uuid}/extractions/late`);
    await job.set({
      status: 'queued',
      source: 'observe',
      sessionId: null,
      turnIds: [],
      messages: [{ role: 'user', content: 'my name is Ghost' }],
      injected: [],
      settings: {
        enabled: true,
        instructions: '',
        target_tier: 'long_term_memory',
        review: false,
        personal_data: 'redact',
      },
      model: 'fake-echo',
      createdAt: new Date(),
      updatedAt: new Date(),
      finishedAt: null,
      attempts: 0,
      claimedUntil: null,
      candidates: null,
      applied: {},
      error: null,
    });
    await quietWindow(3_000);
    expect((await job.get()).get('status')).toBe('queued');
    expect((await tierRef(db, ai.ai_uuid, 'long_term_memory').get()).size).toBe(0);
    expect((await db.doc(`ai_registry/${ai.ai_uuid}`).get()).exists).toBe(false);
    await db.recursiveDelete(db.doc(`ai_registry/${ai.ai_uuid}`));
  });
});
