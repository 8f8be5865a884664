/**
 * Reflections, on the emulators with the scripted model stand-in (tests/fake-llm/reflections.mjs):
 * a run writes one `personal_logs` entry about the period, with provenance (the run in `origin`,
 * the memories it drew on in `metadata.sources`, only ids it was given); executed again or resumed
 * after a crash it writes no second one and asks the model nothing more; undo deletes it; off, no
 * model, or a failing model: no reflection, and the run says why. (The scheduled pass's reflection
 * is in lifecycle.test.ts, the one file that runs `consolidateAll`.)
 */
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { systemClock } from '@memory-weaver/core';
import { consolidateAi } from '../../functions/src/consolidation/consolidate.js';
import { runsRef } from '../../functions/src/consolidation/runs.js';
import { db } from '../support/emulators.js';
import { eventLog } from '../support/events.js';
import { recordedRequests } from '../support/fakeLlm.js';
import { call, expectStatus, type AiSession, type Json } from '../support/http.js';
import { unscheduledAi, consolidate, ids, makeOld, remember, scriptReflections, settings } from './helpers.js';

const reflectionAsks = async (ai: AiSession) =>
  (await recordedRequests()).filter(
    (r) => r.body.user === ai.ai_uuid && (r.body.response_format as Json)?.json_schema?.name === 'memory_reflection',
  ).length;

describe('consolidation: reflections', () => {
  it('writes one reflection with its sources; executed again or resumed, none more; undo deletes it', async () => {
    const ai = await unscheduledAi('Thinker');
    await settings(ai, { reflections: true });
    const bees = await remember(ai, 'long_term_memory', 'The user keeps bees.');
    const tea = await remember(ai, 'long_term_memory', 'The user drinks green tea.');
    const entry = await remember(ai, 'working_memory', 'Talked about honey harvests and bees.');
    await makeOld(ai, 'working_memory', entry, 10);
    await scriptReflections(ai, { text: 'I learned: $sources', cite: 'bees', extra: ['never-given'] });

    const dry = await consolidate(ai, { dry_run: true });
    expect(dry.body.reflection).toEqual({
      status: 'planned',
      reason: null,
      memory_id: null,
      sources: expect.arrayContaining([bees, tea, entry]),
      period_start: null,
    });
    expect(await reflectionAsks(ai)).toBe(0);

    const run = await consolidate(ai, { run_id: dry.body.run_id });
    const reflectionId = `reflection-${String(dry.body.run_id)}`;
    expect(run.body).toMatchObject({ status: 'done', reflection: { status: 'written', memory_id: reflectionId } });
    expect([...run.body.reflection.sources].sort()).toEqual([bees, entry].sort());
    const written = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/personal_logs/${reflectionId}`, {
      token: ai.api_key,
    });
    expectStatus(written, 200);
    expect(written.body.content).toContain('The user keeps bees.');
    expect(written.body.content).not.toContain('green tea');
    expect(written.body.origin).toEqual({
      kind: 'consolidation',
      job_id: dry.body.run_id,
      session_id: null,
      turn_ids: [],
    });
    expect(written.body.metadata).toMatchObject({ kind: 'reflection', run_id: dry.body.run_id });
    expect([...written.body.metadata.sources].sort()).toEqual([bees, entry].sort());
    const created = (await eventLog(ai.ai_uuid)).filter((e) => e.type === 'created' && e.memoryId === reflectionId);
    expect(created).toHaveLength(1);
    expect(created[0]?.actor).toEqual({ kind: 'consolidation', id: dry.body.run_id });
    expect(await reflectionAsks(ai)).toBe(1);

    // Executed again: nothing. Killed after writing the reflection but before recording it: resumed, the
    // reflection is found and recorded, and the model is not asked again.
    await consolidate(ai, { run_id: dry.body.run_id });
    await runsRef(db, ai.ai_uuid)
      .doc(dry.body.run_id)
      .update({
        status: 'running',
        claimedUntil: Timestamp.fromMillis(Date.now() - 1),
        reflection: { ...run.body.reflection, status: 'planned', memory_id: null },
      });
    const resumed = await consolidate(ai, { run_id: dry.body.run_id });
    expect(resumed.body.reflection).toMatchObject({ status: 'written', memory_id: reflectionId });
    expect(await ids(ai, 'personal_logs')).toEqual([reflectionId]);
    expect(await reflectionAsks(ai)).toBe(1);

    // The next run's period starts at this run: only what changed since is given.
    const later = await remember(ai, 'long_term_memory', 'The user bought a bee suit.');
    const next = await consolidate(ai, { dry_run: true });
    expect(next.body.reflection).toMatchObject({
      status: 'planned',
      sources: [later],
      period_start: run.body.created_at,
    });

    const undo = await call('POST', `/v1/ais/${ai.ai_uuid}/consolidations/${dry.body.run_id}/undo`, {
      token: ai.api_key,
    });
    expect(undo.body).toMatchObject({ restored: [entry], reflection_deleted: reflectionId });
    expect(await ids(ai, 'personal_logs')).toEqual([]);
    const shown = await call('GET', `/v1/ais/${ai.ai_uuid}/consolidations/${dry.body.run_id}`, { token: ai.api_key });
    expect(shown.body.reflection.status).toBe('undone');
  });

  it('an edited reflection survives the undo of its run', async () => {
    const ai = await unscheduledAi('Keeper');
    await settings(ai, { reflections: true });
    await remember(ai, 'long_term_memory', 'The user sails on weekends.');
    const run = await consolidate(ai);
    const id = String(run.body.reflection.memory_id);
    expectStatus(
      await call('PATCH', `/v1/ais/${ai.ai_uuid}/memories/personal_logs/${id}`, {
        token: ai.api_key,
        body: { content: 'My own words about sailing.' },
      }),
      200,
    );
    const undo = await call('POST', `/v1/ais/${ai.ai_uuid}/consolidations/${run.body.run_id}/undo`, {
      token: ai.api_key,
    });
    expect(undo.body.reflection_deleted).toBeNull();
    expect(await ids(ai, 'personal_logs')).toEqual([id]);
  });

  it('writes none when off, without a model, with nothing new, or when the model fails, and says why', async () => {
    const off = await unscheduledAi('Quiet');
    await remember(off, 'long_term_memory', 'The user likes jazz.');
    expect((await consolidate(off)).body.reflection).toMatchObject({ status: 'skipped', reason: 'reflections_off' });

    const noModel = await unscheduledAi('Modelless');
    await settings(noModel, { reflections: true });
    await remember(noModel, 'long_term_memory', 'The user likes folk.');
    const runId = await consolidateAi({ db, clock: systemClock }, noModel.ai_uuid, {});
    const stored = (await runsRef(db, noModel.ai_uuid).doc(String(runId)).get()).data();
    expect(stored?.reflection).toMatchObject({ status: 'skipped', reason: 'no_model' });

    const empty = await unscheduledAi('Blank');
    await settings(empty, { reflections: true });
    expect((await consolidate(empty)).body.reflection).toMatchObject({ status: 'skipped', reason: 'nothing_new' });

    const failing = await unscheduledAi('Failing');
    await settings(failing, { reflections: true });
    await remember(failing, 'long_term_memory', 'The user likes opera.');
    await scriptReflections(failing, { fail: { kind: 'malformed_json', times: 1 } });
    const failed = await consolidate(failing);
    expect(failed.body).toMatchObject({
      status: 'done',
      reflection: { status: 'failed', reason: 'model_output_malformed', memory_id: null },
    });
    expect(await ids(failing, 'personal_logs')).toEqual([]);

    const silent = await unscheduledAi('Silent');
    await settings(silent, { reflections: true });
    await remember(silent, 'long_term_memory', 'The user likes blues.');
    await scriptReflections(silent, { text: '   ' });
    expect((await consolidate(silent)).body.reflection).toMatchObject({ status: 'skipped', reason: 'model_empty' });
    expect(await ids(silent, 'personal_logs')).toEqual([]);
  });
});
