/**
 * Rolling session summaries on the emulators, end to end: chats through the official `openai`
 * client, the turn that reaches a multiple of `every_turns` queuing a job in its commit, the
 * `summarize` Firestore trigger running it, and the model stand-in (tests/fake-llm/summaries.mjs)
 * summarising honestly unless a test scripts it to drop a fact, answer empty, refuse, or have its
 * check name missing facts. Asserted on what is stored (the summary memory, its versions, the
 * session's counts, the event log through the API) and on what the model was told (the stand-in
 * records every request).
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { openSnapshots } from '@memory-weaver/core';
import { newSummaryJob, runSummary, summaryJobsRef } from '../../functions/src/consolidation/summaries/index.js';
import { turnsRef } from '../../functions/src/chat/sessions.js';
import { createOpenAIModel } from '../../functions/src/llm/openaiModel.js';
import { estimateTokens } from '../../functions/src/chat/tokens.js';
import { API_URL, db } from '../support/emulators.js';
import { recordedRequests, systemOf, type RecordedRequest } from '../support/fakeLlm.js';
import { call, expectError, expectStatus, newAi, type AiSession, type Json } from '../support/http.js';

const FAKE_LLM_URL = process.env.FAKE_LLM_URL ?? 'http://127.0.0.1:5055';
const client = (key: string) => new OpenAI({ apiKey: key, baseURL: `${API_URL}/v1`, maxRetries: 0, timeout: 20_000 });

/** One turn of a session (a new one when `sessionId` is null); answers the session's id. */
async function say(ai: AiSession, sessionId: string | null, content: string): Promise<string> {
  const body = {
    model: 'fake-echo',
    messages: [{ role: 'user' as const, content }],
    ...(sessionId ? { session_id: sessionId } : {}),
  };
  const reply = (await client(ai.api_key).chat.completions.create(body)) as unknown as {
    memory_weaver: { session_id: string };
  };
  return reply.memory_weaver.session_id;
}

async function script(ai: AiSession, s: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${FAKE_LLM_URL}/__summaries/script`, {
    method: 'POST',
    body: JSON.stringify({ user: ai.ai_uuid, ...s }),
  });
  expect(res.status).toBe(204);
}

async function settings(ai: AiSession, body: Json): Promise<Json> {
  const r = await call('PATCH', `/v1/ais/${ai.ai_uuid}/summaries`, { token: ai.api_key, body });
  expectStatus(r, 200);
  return r.body;
}

async function sessionSummary(ai: AiSession, sessionId: string): Promise<Json> {
  const r = await call('GET', `/v1/ais/${ai.ai_uuid}/sessions/${sessionId}/summary`, { token: ai.api_key });
  expectStatus(r, 200);
  return r.body;
}

/** Waits until the session's summary jobs have ended `n` times in all (written, rejected or failed). */
async function settled(ai: AiSession, sessionId: string, n: number): Promise<Json> {
  let last: Json = null;
  await expect
    .poll(
      async () => {
        last = await sessionSummary(ai, sessionId);
        const c = last.counts as { written: number; rejected: number; failed: number };
        return c.written + c.rejected + c.failed;
      },
      { timeout: 30_000, interval: 150 },
    )
    .toBe(n);
  return last;
}

async function events(ai: AiSession): Promise<Json[]> {
  const r = await call('GET', `/v1/ais/${ai.ai_uuid}/events?limit=500`, { token: ai.api_key });
  expectStatus(r, 200);
  return r.body.events as Json[];
}

const summaryEvents = async (ai: AiSession) => (await events(ai)).filter((e) => e.summary !== undefined);

async function versions(ai: AiSession, memoryId: string): Promise<Json[]> {
  const r = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/working_memory/${memoryId}/versions`, {
    token: ai.api_key,
  });
  expectStatus(r, 200);
  return r.body.versions as Json[];
}

async function preview(ai: AiSession, sessionId: string, content: string): Promise<Json> {
  const r = await call('POST', `/v1/ais/${ai.ai_uuid}/context`, {
    token: ai.api_key,
    body: { session_id: sessionId, messages: [{ role: 'user', content }] },
  });
  expectStatus(r, 200);
  return r.body;
}

/** The stand-in's summary requests (`session_summary` or `summary_check`) for this AI, in order. */
async function summaryRequests(ai: AiSession, name = 'session_summary'): Promise<RecordedRequest[]> {
  return (await recordedRequests()).filter(
    (r) =>
      r.body.user === ai.ai_uuid &&
      (r.body.response_format as { json_schema?: { name?: string } } | undefined)?.json_schema?.name === name,
  );
}

const block = (r: RecordedRequest, tag: string): string =>
  new RegExp(`<${tag}>\\n?([\\s\\S]*?)\\n?</${tag}>`).exec(r.body.messages.map((m) => m.content).join('\n'))?.[1] ?? '';

// Twelve facts (names, numbers, dates and times, decisions), one every five turns from the first.
const FACTS = [
  'My sister Alice lives in Lisbon.',
  'The budget is 42,000 euros.',
  'The launch is on 14 March 2026.',
  'We decided to use Postgres for the backend.',
  'My manager is called Priya Raman.',
  'Our team has 14 engineers.',
  'The flight leaves at 9:40 am on Friday.',
  'We agreed to ship version 3.2 first.',
  'My dog Biscuit is 7 years old.',
  'The client is Northwind Traders.',
  'The deadline is 2026-06-30.',
  'I paid $1,250 for the venue.',
];
// Filler with no digit, capital or decision word: the honest stand-in leaves it out of a summary,
// so each filler's words show whether its raw turn reached the model.
const COLOURS = ['red', 'blue', 'green', 'amber', 'grey', 'pink', 'brown', 'white'];
const TREES = ['birch', 'cedar', 'fern', 'oak', 'pine', 'reed', 'sage', 'willow'];
const filler = (i: number): string => `tell me more about the ${COLOURS[i % 8]} ${TREES[Math.floor(i / 8) % 8]}`;
const turnText = (i: number): string => (i % 5 === 1 ? (FACTS[(i - 1) / 5] as string) : filler(i));
/** How a turn's message is quoted in a context's history block. */
const quoted = (i: number): string => JSON.stringify({ role: 'user', content: turnText(i) });

/** The chat request (not a summary's) of this AI whose messages hold `marker`. */
async function chatRequestWith(ai: AiSession, marker: string): Promise<RecordedRequest> {
  const found = (await recordedRequests()).filter(
    (r) =>
      r.body.response_format === undefined &&
      systemOf(r).startsWith(`You are ${ai.ai_name}.`) &&
      r.body.messages.some((m) => m.role === 'user' && m.content === marker),
  );
  expect(found).toHaveLength(1);
  return found[0] as RecordedRequest;
}

const unique = (name: string) => `${name} ${Math.random().toString(36).slice(2, 8)}`;

describe('rolling session summaries', () => {
  it('keeps every pinned fact of a 60-turn session through six summaries, and the context within budget', async () => {
    const ai = await newAi(unique('Summaries sixty'));
    let session: string | null = null;
    for (let i = 1; i <= 60; i++) {
      session = await say(ai, session, turnText(i));
      if (i % 10 === 0) await settled(ai, session, i / 10);
    }
    const sessionId = session as string;
    const state = await sessionSummary(ai, sessionId);
    expect(state.counts).toEqual({ written: 6, rejected: 0, failed: 0 });
    expect(state.covers.turns).toBe(60);
    for (const fact of FACTS) expect(state.content).toContain(fact);
    expect(state.content).not.toContain('tell me more');

    // One working-memory entry, updated in place: its five earlier versions are the earlier summaries.
    const memory = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/working_memory/${state.memory_id}`, {
      token: ai.api_key,
    });
    expect(memory.body.metadata).toEqual({
      kind: 'session_summary',
      session_id: sessionId,
      covers: state.covers,
    });
    expect(memory.body.created_by.kind).toBe('consolidation');
    const earlier = (await versions(ai, state.memory_id as string)).reverse();
    expect(earlier.map((v) => v.memory.metadata.covers.turns)).toEqual([10, 20, 30, 40, 50]);
    for (const [k, v] of earlier.entries()) {
      for (const fact of FACTS.slice(0, 2 * (k + 1))) expect(v.memory.content).toContain(fact);
    }

    // The log: the memory's created event and five updates, each naming its job and what it covers.
    const logged = await summaryEvents(ai);
    expect(logged.map((e) => [e.type, e.summary.covers.turns])).toEqual([
      ['created', 10],
      ['updated', 20],
      ['updated', 30],
      ['updated', 40],
      ['updated', 50],
      ['updated', 60],
    ]);
    for (const e of logged) {
      expect(e.actor).toEqual({ kind: 'consolidation', id: e.summary.job_id });
      expect(e.memory_id).toBe(state.memory_id);
    }

    // What the model was told: each summary request had the previous summary and only its ten new turns.
    const asked = await summaryRequests(ai);
    expect(asked).toHaveLength(6);
    const contents = [...earlier.map((v) => v.memory.content as string), state.content as string];
    for (const [k, r] of asked.entries()) {
      expect(block(r, 'previous_summary')).toBe(k === 0 ? '' : contents[k - 1]);
      const turns = block(r, 'turns')
        .split('\n')
        .map((l) => JSON.parse(l) as { user: string });
      expect(turns.map((t) => t.user)).toEqual(Array.from({ length: 10 }, (_, j) => turnText(10 * k + j + 1)));
    }
    expect(await summaryRequests(ai, 'summary_check')).toHaveLength(6);

    // Turn 60 was answered with the summary of turns 1–50 and the raw turns 51–59 only.
    const sixtieth = systemOf(await chatRequestWith(ai, turnText(60)));
    const told = /<session_summary>\n([\s\S]*?)\n<\/session_summary>/.exec(sixtieth)?.[1] ?? '';
    expect(JSON.parse(told)).toEqual({ turns_covered: 50, content: earlier[4]?.memory.content });
    const history = /<session_history>\n([\s\S]*?)\n<\/session_history>/.exec(sixtieth)?.[1] ?? '';
    for (let i = 1; i <= 59; i++) {
      expect(history.includes(quoted(i)), `turn ${i} in the history`).toBe(i > 50);
      if (i <= 50 && i % 5 !== 1) expect(sixtieth).not.toContain(turnText(i));
    }

    // After turn 60: the summary of all 60 turns, no raw turn, the summary given once, within budget.
    const next = await preview(ai, sessionId, 'what do you remember?');
    expect(next.history).toEqual([]);
    expect(next.memories_used.filter((m: Json) => m.memory_id === state.memory_id)).toHaveLength(1);
    expect(next.system.split(FACTS[0] as string)).toHaveLength(2);
    for (const fact of FACTS) expect(next.system).toContain(fact);
    expect(next.tokens.total).toBeLessThanOrEqual(next.tokens.budget);
    // The raw session would not have fitted: 60 turns as the history block quotes them.
    // Turns are sealed at rest: opened as the API opens them.
    const raw = await openSnapshots(db, ai.ai_uuid, (await turnsRef(db, ai.ai_uuid, sessionId).get()).docs);
    const rawTokens = raw.reduce(
      (n, d) =>
        n +
        estimateTokens(JSON.stringify({ role: 'user', content: d.get('message') })) +
        estimateTokens(JSON.stringify({ role: 'assistant', content: d.get('response') })),
      0,
    );
    expect(rawTokens).toBeGreaterThan(next.tokens.budget);
  }, 240_000);

  it('rejects a summary that drops a number; the previous one stays, with the event and the counts', async () => {
    const ai = await newAi('Summaries lossy');
    await settings(ai, { every_turns: 3 });
    let session = await say(ai, null, 'The budget is 42,000 euros.');
    await say(ai, session, 'tell me more about the amber');
    session = await say(ai, session, 'tell me more about the birch');
    const first = await settled(ai, session, 1);
    expect(first.content).toContain('42,000');

    await script(ai, { drop: { items: ['42,000'] } });
    await say(ai, session, 'My sister Alice lives in Lisbon.');
    await say(ai, session, 'tell me more about the cedar');
    await say(ai, session, 'tell me more about the dune');
    const after = await settled(ai, session, 2);
    expect(after).toMatchObject({
      memory_id: first.memory_id,
      content: first.content,
      covers: first.covers,
      counts: { written: 1, rejected: 1, failed: 0 },
      last_rejection: { reason: 'dropped_facts', dropped: [{ kind: 'number', text: '42,000' }], missing: [] },
    });
    expect(await versions(ai, first.memory_id as string)).toEqual([]);
    const rejected = (await summaryEvents(ai)).filter((e) => e.type === 'summary_rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({
      memory_id: null,
      memory: null,
      summary: { session_id: session, reason: 'dropped_facts', dropped_kinds: ['number'] },
    });
    // The log holds the kinds, not the facts: those are the session's text, kept sealed (last_rejection shows them).
    expect(JSON.stringify(rejected[0])).not.toContain('42,000');
    // The code check refused it before the model's check was asked.
    expect(await summaryRequests(ai, 'summary_check')).toHaveLength(1);
    const status = await call('GET', `/v1/ais/${ai.ai_uuid}/summaries`, { token: ai.api_key });
    expect(status.body.counts).toEqual({ written: 1, rejected: 1, failed: 0 });

    // Meanwhile the rejected summary's turns reach the model raw, after the summary in force.
    const context = await preview(ai, session, 'and then?');
    expect(context.history.filter((h: Json) => h.role === 'user').map((h: Json) => h.content)).toEqual([
      'My sister Alice lives in Lisbon.',
      'tell me more about the cedar',
      'tell me more about the dune',
    ]);

    // The next summary covers them again, honestly.
    for (const w of ['elm', 'fern', 'gorse']) await say(ai, session, `tell me more about the ${w}`);
    const next = await settled(ai, session, 3);
    expect(next.covers.turns).toBe(9);
    expect(next.content).toContain('42,000');
    expect(next.content).toContain('Alice');
  }, 90_000);

  it("rejects a summary the model's check says misses facts", async () => {
    const ai = await newAi('Summaries checked');
    await settings(ai, { every_turns: 2 });
    let session = await say(ai, null, 'The client is Northwind Traders.');
    session = await say(ai, session, 'tell me more about the amber');
    const first = await settled(ai, session, 1);

    await script(ai, { check: { missing: ['the name of the client'] } });
    await say(ai, session, 'Our team has 14 engineers.');
    await say(ai, session, 'tell me more about the birch');
    const after = await settled(ai, session, 2);
    expect(after).toMatchObject({
      content: first.content,
      covers: { turns: 2 },
      counts: { written: 1, rejected: 1 },
      last_rejection: { reason: 'model_check_failed', dropped: [], missing: ['the name of the client'] },
    });
    const rejected = (await summaryEvents(ai)).filter((e) => e.type === 'summary_rejected');
    expect(rejected.map((e) => e.summary)).toEqual([
      expect.objectContaining({ reason: 'model_check_failed', missing_count: 1 }),
    ]);
    expect(JSON.stringify(rejected)).not.toContain('the name of the client');
  }, 60_000);

  it('never replaces anything with an empty or refused summary', async () => {
    const ai = await newAi('Summaries empty');
    await settings(ai, { every_turns: 2 });
    // The first summary comes back empty: no summary memory is made at all.
    await script(ai, { answer: { kind: 'empty' } });
    let session = await say(ai, null, 'My dog Biscuit is 7 years old.');
    session = await say(ai, session, 'tell me more about the amber');
    const none = await settled(ai, session, 1);
    expect(none).toMatchObject({ memory_id: null, content: null, last_rejection: { reason: 'empty' } });
    const entries = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/working_memory?limit=100`, {
      token: ai.api_key,
    });
    expectStatus(entries, 200);
    expect(entries.body.memories).toHaveLength(2);
    expect(entries.body.memories.filter((m: Json) => m.metadata.kind === 'session_summary')).toEqual([]);

    await say(ai, session, 'tell me more about the birch');
    await say(ai, session, 'tell me more about the cedar');
    const first = await settled(ai, session, 2);
    expect(first.content).toContain('Biscuit');

    await script(ai, { answer: { kind: 'refuse' } });
    await say(ai, session, 'tell me more about the dune');
    await say(ai, session, 'tell me more about the ember');
    const refused = await settled(ai, session, 3);
    await script(ai, { answer: { kind: 'empty' } });
    await say(ai, session, 'tell me more about the fjord');
    await say(ai, session, 'tell me more about the grove');
    const emptied = await settled(ai, session, 4);
    for (const s of [refused, emptied]) {
      expect(s).toMatchObject({ memory_id: first.memory_id, content: first.content, covers: first.covers });
    }
    expect(emptied.counts).toEqual({ written: 1, rejected: 2, failed: 1 });
    expect(await versions(ai, first.memory_id as string)).toEqual([]);
    const logged = (await summaryEvents(ai)).map((e) => [e.type, e.summary.reason ?? null]);
    expect(logged).toEqual([
      ['summary_rejected', 'empty'],
      ['created', null],
      ['summary_failed', 'model_failed'],
      ['summary_rejected', 'empty'],
    ]);
  }, 90_000);

  it('writes once for a job run twice at once, and again when set back to queued', async () => {
    const ai = await newAi('Summaries retried');
    // No job of its own: this test queues one by hand.
    await settings(ai, { every_turns: 1_000 });
    let session = await say(ai, null, 'The deadline is 2026-06-30.');
    session = await say(ai, session, 'tell me more about the amber');
    const last = (await turnsRef(db, ai.ai_uuid, session).orderBy('timestamp', 'desc').limit(1).get()).docs[0];
    const jobId = last?.id as string;
    const job = newSummaryJob({ sessionId: session, turnId: jobId, turnCount: 2, model: 'fake-echo', at: new Date() });
    // The trigger runs it as soon as it is created; two more attempts race it in this process.
    await summaryJobsRef(db, ai.ai_uuid).doc(jobId).create(job);
    const deps = {
      db,
      clock: { now: () => new Date() },
      chat: createOpenAIModel(new OpenAI({ apiKey: 'test', baseURL: `${FAKE_LLM_URL}/v1`, maxRetries: 0 })),
      timeoutMs: 10_000,
    };
    const outcomes = await Promise.all([runSummary(deps, ai.ai_uuid, jobId), runSummary(deps, ai.ai_uuid, jobId)]);
    expect(outcomes.filter((o) => o !== 'busy' && o !== 'done')).toEqual([]);
    const written = await settled(ai, session, 1);
    expect(written.counts).toEqual({ written: 1, rejected: 0, failed: 0 });
    await expect
      .poll(async () => (await summaryJobsRef(db, ai.ai_uuid).doc(jobId).get()).get('status'), { timeout: 20_000 })
      .toBe('done');

    // A redelivered or retried job: set back to queued, the trigger runs it again and writes nothing.
    const attempts = Number((await summaryJobsRef(db, ai.ai_uuid).doc(jobId).get()).get('attempts'));
    await summaryJobsRef(db, ai.ai_uuid).doc(jobId).update({ status: 'queued' });
    await expect
      .poll(
        async () => {
          const d = (await summaryJobsRef(db, ai.ai_uuid).doc(jobId).get()).data();
          return d?.status === 'done' && Number(d.attempts) > attempts;
        },
        { timeout: 20_000, interval: 150 },
      )
      .toBe(true);
    expect(await runSummary(deps, ai.ai_uuid, jobId)).toBe('busy');
    const logged = await summaryEvents(ai);
    expect(logged.map((e) => e.type)).toEqual(['created']);
    expect(await versions(ai, written.memory_id as string)).toEqual([]);
    expect((await sessionSummary(ai, session)).counts).toEqual({ written: 1, rejected: 0, failed: 0 });
    expect((await summaryRequests(ai)).length).toBe(1);
  }, 60_000);

  it('validates its settings and answers errors as JSON', async () => {
    const ai = await newAi('Summaries settings');
    const other = await newAi('Summaries other');
    const got = await call('GET', `/v1/ais/${ai.ai_uuid}/summaries`, { token: ai.api_key });
    expectStatus(got, 200);
    expect(got.body).toEqual({
      settings: { enabled: true, every_turns: 10 },
      model_configured: true,
      model: expect.any(String),
      active: true,
      counts: { written: 0, rejected: 0, failed: 0 },
    });
    for (const body of [{ every_turns: 1 }, { every_turns: 2.5 }, { every_turns: 'ten' }, { extra: true }, {}]) {
      const r = await call('PATCH', `/v1/ais/${ai.ai_uuid}/summaries`, { token: ai.api_key, body });
      expectError(r, 400, 'invalid_argument');
    }
    const off = await settings(ai, { enabled: false });
    expect(off).toMatchObject({ settings: { enabled: false, every_turns: 10 }, active: false });
    // Off: ten turns queue no job.
    let session: string | null = null;
    for (let i = 1; i <= 10; i++) session = await say(ai, session, filler(i));
    expect((await summaryJobsRef(db, ai.ai_uuid).get()).size).toBe(0);

    expectError(await call('GET', `/v1/ais/${ai.ai_uuid}/summaries`, { token: other.api_key }), 404, 'not_found');
    expectError(
      await call('GET', `/v1/ais/${ai.ai_uuid}/sessions/${session as string}/summary`, { token: other.api_key }),
      404,
      'not_found',
    );
  }, 60_000);
});
