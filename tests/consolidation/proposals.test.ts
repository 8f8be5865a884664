/**
 * Long-term memories nobody retrieves, on the emulators: search hits and memories put in a chat's
 * context are recorded (functions/src/search/retrievals.ts, written in batches off the request);
 * a run proposes the long-term memories not retrieved for the AI's `unretrieved_days` (a memory
 * never retrieved counts from its creation) and archives none of them; accepting proposals
 * archives exactly those, audited; undoing the run brings them back to long-term memory.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { tierRef } from '@memory-weaver/core';
import { retrievalsRef } from '../../functions/src/search/retrievals.js';
import { adminIdToken, db } from '../support/emulators.js';
import { eventLog } from '../support/events.js';
import { call, expectError, expectStatus, type AiSession, type Json } from '../support/http.js';
import { unscheduledAi, consolidate, DAY, ids, makeOld, remember } from './helpers.js';

const retrieval = async (ai: AiSession, id: string) => (await retrievalsRef(db, ai.ai_uuid).doc(id).get()).data();

describe('consolidation: proposals of long-term memories not retrieved', () => {
  it('records retrievals by search and chat context, proposes the rest, and archives only what is accepted', async () => {
    const ai = await unscheduledAi('Beekeeper');
    const bees = await remember(ai, 'long_term_memory', 'The user keeps three hives of bees in Oslo.');
    const teal = await remember(ai, 'long_term_memory', "The user's favourite colour is teal.");
    const fresh = await remember(ai, 'long_term_memory', 'The user started learning the cello last week.');
    await makeOld(ai, 'long_term_memory', bees, 120);
    await makeOld(ai, 'long_term_memory', teal, 120);

    // A search hit is a retrieval, recorded shortly after the answer (batched).
    const found = await call('POST', `/v1/ais/${ai.ai_uuid}/search`, {
      token: ai.api_key,
      body: { query: 'hives of bees in Oslo', memory_types: ['long_term_memory'], limit: 1 },
    });
    expectStatus(found, 200);
    expect(found.body.results[0].memory.memory_id).toBe(bees);
    await expect.poll(() => retrieval(ai, bees), { timeout: 20_000, interval: 200 }).toMatchObject({ count: 1 });

    const dry = await consolidate(ai, { dry_run: true });
    expectStatus(dry, 200);
    expect(dry.body.retrieval_tracked).toBe(true);
    expect(dry.body.proposals).toEqual([
      {
        memory_id: teal,
        reason: 'never retrieved in the 90 days since it was stored (consolidation.unretrieved_days)',
        last_retrieved_at: null,
        planned_updated_at: expect.any(String),
        status: 'proposed',
      },
    ]);
    expect(dry.body.counts).toMatchObject({ proposed: 1, accepted: 0 });

    // A memory given to the model in a chat's context is a retrieval too.
    const chat = await call('POST', '/v1/chat/completions', {
      token: ai.api_key,
      body: { model: 'fake-echo', messages: [{ role: 'user', content: 'What is my favourite colour, teal or not?' }] },
    });
    expectStatus(chat, 200);
    await expect.poll(() => retrieval(ai, teal), { timeout: 20_000, interval: 200 }).toMatchObject({ count: 1 });

    // Both retrieved long ago now: both proposed, the one with its last retrieval said.
    const longAgo = Timestamp.fromMillis(Date.now() - 100 * DAY);
    await retrievalsRef(db, ai.ai_uuid).doc(bees).update({ lastAt: longAgo });
    await retrievalsRef(db, ai.ai_uuid).doc(teal).update({ lastAt: longAgo });
    const plan = await consolidate(ai, { dry_run: true });
    const proposed = plan.body.proposals.map((p: Json) => p.memory_id).sort();
    expect(proposed).toEqual([bees, teal].sort());
    const beesProposal = plan.body.proposals.find((p: Json) => p.memory_id === bees);
    expect(beesProposal.last_retrieved_at).toBe(longAgo.toDate().toISOString());
    expect(beesProposal.reason).toContain(`last retrieved ${longAgo.toDate().toISOString().slice(0, 10)}`);

    // Executing the run archives no long-term memory: proposals are never archived silently.
    const run = await consolidate(ai, { run_id: plan.body.run_id });
    expect(run.body).toMatchObject({ status: 'done', counts: { proposed: 2, accepted: 0 } });
    expect(await ids(ai, 'long_term_memory')).toEqual([bees, teal, fresh].sort());

    const admin = await adminIdToken();
    const accept = await call('POST', `/v1/ais/${ai.ai_uuid}/consolidations/${plan.body.run_id}/proposals/accept`, {
      token: admin,
      body: { memory_ids: [teal, fresh] },
    });
    expectStatus(accept, 200);
    expect(accept.body).toEqual({
      run_id: plan.body.run_id,
      accepted: [teal],
      skipped: [{ memory_id: fresh, reason: 'not_proposed' }],
    });
    expect(await ids(ai, 'archive')).toEqual([teal]);
    expect(await ids(ai, 'long_term_memory')).toEqual([bees, fresh].sort());
    const move = (await eventLog(ai.ai_uuid)).filter((e) => e.type === 'moved' && e.memoryId === teal);
    expect(move).toHaveLength(1);
    expect(move[0]).toMatchObject({ fromTier: 'long_term_memory', toTier: 'archive', actor: { kind: 'admin' } });
    const archived = (await tierRef(db, ai.ai_uuid, 'archive').doc(teal).get()).get('consolidation');
    expect(archived.runId).toBe(plan.body.run_id);
    expect(archived.reason).toContain('proposal accepted: not retrieved for 90 days');

    const shown = await call('GET', `/v1/ais/${ai.ai_uuid}/consolidations/${plan.body.run_id}`, { token: ai.api_key });
    expect(shown.body.counts).toMatchObject({ proposed: 2, accepted: 1 });
    expect(shown.body.proposals.find((p: Json) => p.memory_id === teal).status).toBe('accepted');
    const again = await call('POST', `/v1/ais/${ai.ai_uuid}/consolidations/${plan.body.run_id}/proposals/accept`, {
      token: ai.api_key,
      body: { memory_ids: [teal] },
    });
    expect(again.body).toMatchObject({ accepted: [], skipped: [{ memory_id: teal, reason: 'not_proposed' }] });

    // Undoing the run brings the accepted proposal back to long-term memory.
    const undo = await call('POST', `/v1/ais/${ai.ai_uuid}/consolidations/${plan.body.run_id}/undo`, {
      token: ai.api_key,
    });
    expect(undo.body).toMatchObject({ restored: [teal], skipped: [], reflection_deleted: null });
    expect(await ids(ai, 'long_term_memory')).toEqual([bees, teal, fresh].sort());
    expect(await ids(ai, 'archive')).toEqual([]);
  });

  it('a proposal changed after the plan is skipped when accepted, its change kept', async () => {
    const ai = await unscheduledAi('Changeling');
    const id = await remember(ai, 'long_term_memory', 'The user once lived in Lima.');
    await makeOld(ai, 'long_term_memory', id, 200);
    const plan = await consolidate(ai, { dry_run: true });
    expect(plan.body.proposals.map((p: Json) => p.memory_id)).toEqual([id]);
    expectStatus(
      await call('PATCH', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory/${id}`, {
        token: ai.api_key,
        body: { content: 'The user once lived in Lima and in Quito.' },
      }),
      200,
    );
    const accept = await call('POST', `/v1/ais/${ai.ai_uuid}/consolidations/${plan.body.run_id}/proposals/accept`, {
      token: ai.api_key,
      body: { memory_ids: [id] },
    });
    expect(accept.body).toEqual({
      run_id: plan.body.run_id,
      accepted: [],
      skipped: [{ memory_id: id, reason: 'changed_since_plan' }],
    });
    expect(await ids(ai, 'long_term_memory')).toEqual([id]);
    const shown = await call('GET', `/v1/ais/${ai.ai_uuid}/consolidations/${plan.body.run_id}`, { token: ai.api_key });
    expect(shown.body.proposals[0]).toMatchObject({ status: 'skipped', skip_reason: 'changed_since_plan' });
  });

  it('answers bad accept requests precisely', async () => {
    const ai = await unscheduledAi('Strict');
    const plan = await consolidate(ai, { dry_run: true });
    const accept = (runId: string, body: Json) =>
      call('POST', `/v1/ais/${ai.ai_uuid}/consolidations/${runId}/proposals/accept`, { token: ai.api_key, body });
    expectError(await accept(plan.body.run_id, { memory_ids: [] }), 400, 'invalid_argument');
    expectError(await accept(plan.body.run_id, {}), 400, 'invalid_argument');
    expectError(await accept(plan.body.run_id, { memory_ids: ['a'], extra: 1 }), 400, 'invalid_argument');
    expectError(await accept('no-such-run', { memory_ids: ['a'] }), 404, 'not_found');
  });
});
