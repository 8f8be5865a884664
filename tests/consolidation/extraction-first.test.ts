/**
 * Extraction before archiving, on the emulators: working-memory entries written through the memory
 * API never went through extraction, so a run queues their text as extraction jobs (run by the
 * real `extract` trigger and the scripted model stand-in) before they move; a chat exchange's entry
 * went through it when it was stored and is not queued again. Entries of a summarised session are
 * linked to the session's summary, and the summary itself stays in working memory.
 */
import { describe, expect, it } from 'vitest';
import { systemClock, tierRef } from '@memory-weaver/core';
import { consolidateAi } from '../../functions/src/consolidation/consolidate.js';
import { runsRef } from '../../functions/src/consolidation/runs.js';
import { sessionsRef } from '../../functions/src/chat/sessions.js';
import { db } from '../support/emulators.js';
import { openedData } from '../support/opened.js';
import { call, expectStatus, type Json } from '../support/http.js';
import { unscheduledAi, consolidate, ids, makeOld, remember, scriptExtraction } from './helpers.js';

describe('consolidation: extraction before archiving', () => {
  it('queues the API-written entries for extraction, moves them, and links chat entries to their summary', async () => {
    const ai = await unscheduledAi('Learner');
    // A chat exchange stored while extraction was off: the owner chose not to learn from it then.
    const chat = await call('POST', '/v1/chat/completions', {
      token: ai.api_key,
      body: { model: 'fake-echo', messages: [{ role: 'user', content: 'We talked about the weather in Bergen.' }] },
    });
    expectStatus(chat, 200);
    const exchange = (await tierRef(db, ai.ai_uuid, 'working_memory').get()).docs[0];
    // Metadata is sealed at rest: opened as the API opens it.
    const exchangeMeta = (exchange ? await openedData(exchange.ref) : undefined)?.metadata;
    const sessionId = String(exchangeMeta?.session_id);
    expect(exchangeMeta?.kind).toBe('chat_exchange');
    // The session's summary (written by consolidation/summaries in production): a working-memory
    // memory, named by the session document.
    const summary = await remember(ai, 'working_memory', 'Summary: the user and the AI talked about Bergen.', {
      kind: 'session_summary',
      session_id: sessionId,
    });
    await sessionsRef(db, ai.ai_uuid).doc(sessionId).update({ summaryMemoryId: summary });
    const note = await remember(ai, 'working_memory', 'my name is Ingrid and I grow tomatoes');
    for (const id of [String(exchange?.id), summary, note]) await makeOld(ai, 'working_memory', id, 10);

    await scriptExtraction(ai, {
      facts: [{ when: 'my name is (\\w+)', content: "The user's name is $1.", kind: 'identity', subject: 'name' }],
    });
    const dry = await consolidate(ai, { dry_run: true });
    expectStatus(dry, 200);
    const byId = new Map(dry.body.actions.map((a: Json) => [a.memory_id, a]));
    expect([...byId.keys()].sort()).toEqual([String(exchange?.id), note].sort());
    expect(byId.get(note)).toMatchObject({ extract: true, summary_id: null });
    expect(byId.get(exchange?.id)).toMatchObject({ extract: false, summary_id: summary });
    expect((byId.get(exchange?.id) as Json).reason).toContain(`its session is summarised in ${summary}`);
    expect(dry.body.extraction).toEqual({ status: 'planned', entries: 1, job_ids: [] });

    const run = await consolidate(ai, { run_id: dry.body.run_id });
    expect(run.body).toMatchObject({ status: 'done', counts: { moved: 2 } });
    const jobId = `${String(dry.body.run_id)}-x0`;
    expect(run.body.extraction).toEqual({ status: 'queued', entries: 1, job_ids: [jobId] });
    expect(await ids(ai, 'working_memory')).toEqual([summary]);
    expect(await ids(ai, 'archive')).toEqual([String(exchange?.id), note].sort());
    const mark = (await tierRef(db, ai.ai_uuid, 'archive').doc(String(exchange?.id)).get()).get('consolidation');
    expect(mark.summaryId).toBe(summary);

    // The extract trigger runs the job: the lasting fact reaches long-term memory through the gate.
    await expect
      .poll(
        async () =>
          (await call('GET', `/v1/ais/${ai.ai_uuid}/extractions/${jobId}`, { token: ai.api_key })).body.status,
        { timeout: 30_000, interval: 200 },
      )
      .toBe('done');
    const facts = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory`, { token: ai.api_key });
    expect(facts.body.memories).toHaveLength(1);
    expect(facts.body.memories[0]).toMatchObject({ content: "The user's name is Ingrid.", origin: { job_id: jobId } });
    // Only the API-written entry was sent: the chat exchange is not in the job.
    const job = await openedData(db.doc(`ai_registry/${ai.ai_uuid}/extractions/${jobId}`));
    expect(job?.messages).toEqual([{ role: 'user', content: 'my name is Ingrid and I grow tomatoes' }]);
  }, 60_000);

  it('with extraction off, or no model configured, the entries move unextracted and the run says why', async () => {
    const off = await unscheduledAi('NoLearning');
    const a = await remember(off, 'working_memory', 'my name is Olav');
    await makeOld(off, 'working_memory', a, 10);
    const run = await consolidate(off);
    expect(run.body).toMatchObject({ status: 'done', extraction: { status: 'off', entries: 1, job_ids: [] } });
    expect(await ids(off, 'archive')).toEqual([a]);
    expect((await db.collection(`ai_registry/${off.ai_uuid}/extractions`).get()).size).toBe(0);

    // Extraction on, but this server has no model (in process, no model handed in).
    const noModel = await unscheduledAi('NoModel');
    await scriptExtraction(noModel, { facts: [] });
    const b = await remember(noModel, 'working_memory', 'my name is Siri');
    await makeOld(noModel, 'working_memory', b, 10);
    const runId = await consolidateAi({ db, clock: systemClock }, noModel.ai_uuid, {});
    const stored = (await runsRef(db, noModel.ai_uuid).doc(String(runId)).get()).data();
    expect(stored?.extraction).toEqual({ status: 'no_model', entries: 1, job_ids: [] });
    expect(await ids(noModel, 'archive')).toEqual([b]);
    expect((await db.collection(`ai_registry/${noModel.ai_uuid}/extractions`).get()).size).toBe(0);
  });
});
