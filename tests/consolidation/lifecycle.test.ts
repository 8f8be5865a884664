/**
 * Consolidation's working-memory lifecycle on the emulators: a dry run's plan is what the run then
 * does; every move is an audited `moved` event by the `consolidation` actor with a version kept;
 * a run stopped between batches, or killed after its moves but before it recorded them, ends in
 * the same state when executed again with nothing doubled; an edit made during a run is kept;
 * undo; a deleted AI stops a run; bad input; the scheduled pass (run in process: the Functions
 * emulator does not fire schedules, see functions/src/consolidation/README.md).
 */
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { systemClock, tierRef } from '@memory-weaver/core';
import { consolidateAll } from '../../functions/src/consolidation/consolidate.js';
import { executeRun } from '../../functions/src/consolidation/execute.js';
import { runsRef } from '../../functions/src/consolidation/runs.js';
import { adminIdToken, db } from '../support/emulators.js';
import { eventLog } from '../support/events.js';
import { openedData } from '../support/opened.js';
import { call, expectError, expectStatus, newAi, type AiSession, type Json } from '../support/http.js';
import { fakeLlmAppDeps } from '../support/app.js';
import { remember, unscheduledAi } from './helpers.js';

const DAY = 86_400_000;

/** Working-memory entries written through the API, then made `days` old (their updatedAt set back in Firestore). */
async function oldEntries(ai: AiSession, n: number, days = 10): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 20) {
    const chunk = await Promise.all(
      Array.from({ length: Math.min(20, n - i) }, async (_, k) => {
        const r = await call('POST', `/v1/ais/${ai.ai_uuid}/memories/working_memory`, {
          token: ai.api_key,
          body: { content: `entry ${i + k}`, metadata: { n: i + k } },
        });
        expectStatus(r, 201);
        return String(r.body.memory_id);
      }),
    );
    ids.push(...chunk);
  }
  const writer = db.bulkWriter();
  for (const [k, id] of ids.entries()) {
    // Distinct times, oldest first in creation order, so the plan's order is known.
    void writer.update(tierRef(db, ai.ai_uuid, 'working_memory').doc(id), {
      updatedAt: Timestamp.fromMillis(Date.now() - days * DAY - (ids.length - k) * 1000),
    });
  }
  await writer.close();
  return ids;
}

const consolidate = (ai: AiSession, body: Json = {}) =>
  call('POST', `/v1/ais/${ai.ai_uuid}/consolidate`, { token: ai.api_key, body });

async function ids(ai: AiSession, tier: string): Promise<string[]> {
  return (await tierRef(db, ai.ai_uuid, tier as 'archive').get()).docs.map((d) => d.id).sort();
}

async function movedEvents(ai: AiSession): Promise<Json[]> {
  return (await eventLog(ai.ai_uuid)).filter((e) => e.type === 'moved');
}

describe('consolidation: the working-memory lifecycle', () => {
  it('a dry run shows the plan and moves nothing; the run then does exactly that, audited', async () => {
    const ai = await unscheduledAi('Tidy');
    const old = await oldEntries(ai, 3);
    const fresh = await call('POST', `/v1/ais/${ai.ai_uuid}/memories/working_memory`, {
      token: ai.api_key,
      body: { content: 'said a minute ago' },
    });
    const lasting = await call('POST', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory`, {
      token: ai.api_key,
      body: { content: 'a long-term fact' },
    });
    expectStatus(lasting, 201);

    const dry = await consolidate(ai, { dry_run: true });
    expectStatus(dry, 200);
    expect(dry.body).toMatchObject({
      status: 'planned',
      dry_run: true,
      retrieval_tracked: true,
      proposals: [],
      // Written through the memory API, so never through extraction; extraction is off for a new AI.
      extraction: { status: 'off', entries: 3, job_ids: [] },
      reflection: { status: 'skipped', reason: 'reflections_off' },
    });
    expect(dry.body.actions.map((a: Json) => a.memory_id)).toEqual(old);
    expect(dry.body.actions[0]).toMatchObject({
      from_memory_type: 'working_memory',
      to_memory_type: 'archive',
      extract: true,
      summary_id: null,
    });
    expect(dry.body.actions[0].reason).toContain('168 h');
    expect(await ids(ai, 'archive')).toEqual([]);
    expect(await movedEvents(ai)).toEqual([]);

    const run = await consolidate(ai, { run_id: dry.body.run_id });
    expectStatus(run, 200);
    expect(run.body).toMatchObject({ run_id: dry.body.run_id, status: 'done', dry_run: false });
    expect(run.body.actions).toEqual(dry.body.actions);
    expect(run.body.outcomes).toEqual(old.map((memory_id) => ({ memory_id, outcome: 'moved' })));
    expect(run.body.counts).toEqual({ planned: 3, moved: 3, skipped: 0, undone: 0, proposed: 0, accepted: 0 });
    expect(await ids(ai, 'archive')).toEqual([...old].sort());
    expect(await ids(ai, 'working_memory')).toEqual([String(fresh.body.memory_id)]);
    expect(await ids(ai, 'long_term_memory')).toEqual([String(lasting.body.memory_id)]);

    const events = await movedEvents(ai);
    expect(events).toHaveLength(3);
    for (const e of events) {
      expect(e).toMatchObject({ fromTier: 'working_memory', toTier: 'archive', via: 'consolidation' });
      expect(e.actor).toEqual({ kind: 'consolidation', id: dry.body.run_id });
    }
    const archived = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/archive/${old[0]}`, { token: ai.api_key });
    expect(archived.body).toMatchObject({ content: 'entry 0', moved_from: 'working_memory' });
    // A consolidation move keeps no version (content and metadata don't change): the event holds the
    // memory, and the mark on it holds the fields the move replaced.
    const versions = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/archive/${old[0]}/versions`, {
      token: ai.api_key,
    });
    expectStatus(versions, 200);
    expect(versions.body.versions).toEqual([]);
    const mark = (await tierRef(db, ai.ai_uuid, 'archive').doc(String(old[0])).get()).get('consolidation');
    expect(mark).toMatchObject({ runId: dry.body.run_id, summaryId: null, before: { movedFrom: null } });
    expect(mark.before.updatedAt.toMillis()).toBe(Date.parse(dry.body.actions[0].planned_updated_at));

    // Executing the finished run again changes nothing; a new run finds nothing left to do.
    const again = await consolidate(ai, { run_id: dry.body.run_id });
    expect(again.body.outcomes).toEqual(run.body.outcomes);
    const next = await consolidate(ai);
    expect(next.body).toMatchObject({ status: 'done', actions: [], outcomes: [] });
    expect(await movedEvents(ai)).toHaveLength(3);
    const listed = await call('GET', `/v1/ais/${ai.ai_uuid}/consolidations?limit=5`, { token: ai.api_key });
    expect(listed.body.runs.map((r: Json) => r.run_id)).toEqual([next.body.run_id, dry.body.run_id]);
  });

  it('the age is a per-AI setting', async () => {
    const ai = await newAi('Ages');
    const old = await oldEntries(ai, 2, 3);
    const settings = await call('GET', `/v1/ais/${ai.ai_uuid}/consolidation`, { token: ai.api_key });
    expect(settings.body).toEqual({
      scheduled: true,
      working_memory_max_age_hours: 168,
      unretrieved_days: 90,
      reflections: false,
    });
    expect((await consolidate(ai, { dry_run: true })).body.actions).toEqual([]);
    const patched = await call('PATCH', `/v1/ais/${ai.ai_uuid}/consolidation`, {
      token: ai.api_key,
      body: { working_memory_max_age_hours: 48 },
    });
    expect(patched.body.working_memory_max_age_hours).toBe(48);
    expect((await consolidate(ai, { dry_run: true })).body.actions.map((a: Json) => a.memory_id)).toEqual(old);
  });

  it(
    'a run stopped between batches, or killed before recording a batch, ends in the same state with nothing doubled',
    { timeout: 90_000 },
    async () => {
      const ai = await unscheduledAi('Resume');
      const old = await oldEntries(ai, 150);
      const first = await consolidate(ai, { max_batches: 1 });
      expectStatus(first, 200);
      expect(first.body).toMatchObject({ status: 'partial' });
      expect(first.body.outcomes).toHaveLength(100);
      expect(await ids(ai, 'archive')).toHaveLength(100);

      // A crash after the batch's moves committed but before the run recorded them: the run still
      // says batch 0 and its claim is stale.
      await runsRef(db, ai.ai_uuid)
        .doc(first.body.run_id)
        .update({ status: 'running', nextBatch: 0, outcomes: [], claimedUntil: Timestamp.fromMillis(Date.now() - 1) });
      const resumed = await consolidate(ai, { run_id: first.body.run_id });
      expect(resumed.body).toMatchObject({ status: 'done', counts: { planned: 150, moved: 150, skipped: 0 } });
      expect(resumed.body.outcomes.map((o: Json) => o.memory_id)).toEqual(old);
      expect(await ids(ai, 'archive')).toEqual([...old].sort());
      expect(await ids(ai, 'working_memory')).toEqual([]);
      const events = await movedEvents(ai);
      expect(events).toHaveLength(150);
      expect(new Set(events.map((e) => e.memoryId)).size).toBe(150);
      const marked = await tierRef(db, ai.ai_uuid, 'archive')
        .where('consolidation.runId', '==', first.body.run_id)
        .get();
      expect(marked.size).toBe(150);
    },
  );

  it('a run being executed elsewhere is not executed twice at once', async () => {
    const ai = await unscheduledAi('Busy');
    await oldEntries(ai, 1);
    const dry = await consolidate(ai, { dry_run: true });
    await runsRef(db, ai.ai_uuid)
      .doc(dry.body.run_id)
      .update({ status: 'running', claimedUntil: Timestamp.fromMillis(Date.now() + 60_000) });
    expectError(await consolidate(ai, { run_id: dry.body.run_id }), 409, 'conflict');
  });

  it('an edit made after the plan is kept: that move is skipped and says why', async () => {
    const ai = await unscheduledAi('Editor');
    const old = await oldEntries(ai, 3);
    const dry = await consolidate(ai, { dry_run: true });
    const edit = await call('PATCH', `/v1/ais/${ai.ai_uuid}/memories/working_memory/${old[1]}`, {
      token: ai.api_key,
      body: { content: 'edited while the run was planned' },
    });
    expectStatus(edit, 200);
    const run = await consolidate(ai, { run_id: dry.body.run_id });
    expect(run.body.outcomes).toEqual([
      { memory_id: old[0], outcome: 'moved' },
      { memory_id: old[1], outcome: 'skipped', reason: 'changed_since_plan' },
      { memory_id: old[2], outcome: 'moved' },
    ]);
    const kept = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/working_memory/${old[1]}`, { token: ai.api_key });
    expect(kept.body.content).toBe('edited while the run was planned');
  });

  it('an edit racing a run is never lost', async () => {
    const ai = await unscheduledAi('Racer');
    const old = await oldEntries(ai, 40);
    const target = old[20] as string;
    const [edit] = await Promise.all([
      call('PATCH', `/v1/ais/${ai.ai_uuid}/memories/working_memory/${target}`, {
        token: ai.api_key,
        body: { content: 'the racing edit' },
      }),
      consolidate(ai),
    ]);
    const wm = await tierRef(db, ai.ai_uuid, 'working_memory').doc(target).get();
    const ar = await tierRef(db, ai.ai_uuid, 'archive').doc(target).get();
    expect(wm.exists !== ar.exists).toBe(true);
    if (edit.status === 200) {
      // The edit landed first: the run skipped the memory, which keeps the edit in working memory.
      expect((await openedData(wm.ref))?.content).toBe('the racing edit');
    } else {
      // The move landed first: the edit was refused (the memory is no longer in working memory), nothing lost silently.
      expectError(edit, 404, 'not_found');
      expect((await openedData(ar.ref))?.content).toBe('entry 20');
    }
  });

  it('undo moves a run back; a memory changed since stays; a second undo does nothing', async () => {
    const ai = await unscheduledAi('Undo');
    const old = await oldEntries(ai, 3);
    const run = await consolidate(ai);
    expect(run.body.counts.moved).toBe(3);
    const changed = await call('PATCH', `/v1/ais/${ai.ai_uuid}/memories/archive/${old[2]}`, {
      token: ai.api_key,
      body: { content: 'edited in the archive' },
    });
    expectStatus(changed, 200);
    const undo = await call('POST', `/v1/ais/${ai.ai_uuid}/consolidations/${run.body.run_id}/undo`, {
      token: ai.api_key,
    });
    expectStatus(undo, 200);
    expect([...undo.body.restored].sort()).toEqual([old[0], old[1]].sort());
    expect(undo.body.skipped).toEqual([{ memory_id: old[2], reason: 'changed_since_move' }]);
    expect(await ids(ai, 'working_memory')).toEqual([old[0], old[1]].sort());
    const back = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/working_memory/${old[0]}`, { token: ai.api_key });
    expect(back.body).toMatchObject({ content: 'entry 0', metadata: { n: 0 }, moved_from: 'archive' });
    const events = await movedEvents(ai);
    expect(events.filter((e) => e.toTier === 'working_memory')).toHaveLength(2);
    const again = await call('POST', `/v1/ais/${ai.ai_uuid}/consolidations/${run.body.run_id}/undo`, {
      token: ai.api_key,
    });
    expect(again.body.restored).toEqual([]);
    const shown = await call('GET', `/v1/ais/${ai.ai_uuid}/consolidations/${run.body.run_id}`, { token: ai.api_key });
    expect(shown.body).toMatchObject({ status: 'undone', counts: { undone: 2 } });
  });

  it('a run for an AI deleted meanwhile stops, and the API answers 404 for it', { timeout: 90_000 }, async () => {
    const ai = await unscheduledAi('Doomed');
    await oldEntries(ai, 150);
    const dry = await consolidate(ai, { dry_run: true });
    const admin = await adminIdToken();
    await executeRun(
      {
        db,
        clock: systemClock,
        afterBatch: async () => {
          expectStatus(await call('DELETE', `/v1/ais/${ai.ai_uuid}`, { token: admin }), 200);
        },
      },
      ai.ai_uuid,
      String(dry.body.run_id),
    );
    // The run resolved (no throw) and stopped: its record says so, unless the deletion purged it with the AI's data.
    const run = (await runsRef(db, ai.ai_uuid).doc(dry.body.run_id).get()).data();
    if (run) expect(run).toMatchObject({ status: 'stopped', stoppedReason: 'ai_deleted', nextBatch: 1 });
    const moves = (await eventLog(ai.ai_uuid)).filter((e) => e.type === 'moved' && e.actor?.kind === 'consolidation');
    expect(moves.length).toBeLessThanOrEqual(100);
    // The AI's key went with it (401); an administrator is told the AI is gone (404).
    expectError(await consolidate(ai), 401, 'unauthenticated');
    expectError(await call('POST', `/v1/ais/${ai.ai_uuid}/consolidate`, { token: admin, body: {} }), 404, 'not_found');
  });

  it('answers bad input precisely', async () => {
    const ai = await unscheduledAi('Picky');
    const other = await newAi('Other');
    const bad = async (body: Json, field: string) => {
      const r = await consolidate(ai, body);
      expectError(r, 400, 'invalid_argument');
      expect(JSON.stringify(r.body.error.details)).toContain(field);
    };
    await bad({ dry_run: 'yes' }, 'dry_run');
    await bad({ dry_run: true, run_id: 'abc' }, 'run_id');
    await bad({ max_batches: 0 }, 'max_batches');
    await bad({ surprise: 1 }, 'surprise');
    expectError(await consolidate(ai, { run_id: 'no-such-run' }), 404, 'not_found');
    expectError(
      await call('PATCH', `/v1/ais/${ai.ai_uuid}/consolidation`, { token: ai.api_key, body: {} }),
      400,
      'invalid_argument',
    );
    expectError(
      await call('PATCH', `/v1/ais/${ai.ai_uuid}/consolidation`, {
        token: ai.api_key,
        body: { working_memory_max_age_hours: -1 },
      }),
      400,
      'invalid_argument',
    );
    expectError(
      await call('POST', `/v1/ais/${ai.ai_uuid}/consolidations/nope/undo`, { token: ai.api_key }),
      404,
      'not_found',
    );
    const foreign = await call('POST', `/v1/ais/${ai.ai_uuid}/consolidate`, { token: other.api_key, body: {} });
    expect([403, 404]).toContain(foreign.status);
    expectError(
      await call('POST', `/v1/ais/not-a-uuid/consolidate`, { token: ai.api_key, body: {} }),
      400,
      'invalid_argument',
    );
  });

  it(
    'the scheduled pass consolidates each live AI whose schedule is on, and skips the rest',
    { timeout: 120_000 },
    async () => {
      const on = await newAi('Scheduled');
      const off = await newAi('Unscheduled');
      const gone = await newAi('Gone');
      const onIds = await oldEntries(on, 3);
      await oldEntries(off, 2);
      await oldEntries(gone, 2);
      expectStatus(
        await call('PATCH', `/v1/ais/${off.ai_uuid}/consolidation`, { token: off.api_key, body: { scheduled: false } }),
        200,
      );
      expectStatus(await call('DELETE', `/v1/ais/${gone.ai_uuid}`, { token: await adminIdToken() }), 200);
      // One that reflects, too: the pass hands the model to every run.
      const thinker = await newAi('Nightly');
      expectStatus(
        await call('PATCH', `/v1/ais/${thinker.ai_uuid}/consolidation`, {
          token: thinker.api_key,
          body: { reflections: true },
        }),
        200,
      );
      const fact = await remember(thinker, 'long_term_memory', 'The user runs marathons.');
      const [entry] = await oldEntries(thinker, 1);
      const { llm, model } = fakeLlmAppDeps();
      const report = await consolidateAll({ db, clock: systemClock, llm, model });
      expect(report.failed.filter((f) => [on, off, gone, thinker].some((a) => a.ai_uuid === f.ai_uuid))).toEqual([]);
      expect(await ids(on, 'archive')).toEqual([...onIds].sort());
      expect(await ids(off, 'archive')).toEqual([]);
      expect(await ids(gone, 'archive')).toEqual([]);
      expect((await runsRef(db, off.ai_uuid).get()).size).toBe(0);
      const thought = (await runsRef(db, thinker.ai_uuid).get()).docs.map((d) => d.data());
      expect(thought).toHaveLength(1);
      expect(thought[0]).toMatchObject({ status: 'done', reflection: { status: 'written' } });
      const logs = (await tierRef(db, thinker.ai_uuid, 'personal_logs').get()).docs;
      expect(logs).toHaveLength(1);
      const metadata = (logs[0] ? await openedData(logs[0].ref) : undefined)?.metadata as { sources: string[] };
      expect([...metadata.sources].sort()).toEqual([fact, entry].sort());
    },
  );
});
