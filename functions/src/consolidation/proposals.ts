/**
 * @module consolidation/proposals — long-term memories not retrieved for the AI's
 * `unretrieved_days` (search/retrievals.ts records retrievals: search hits and memories put in a
 * chat's context), proposed for archiving. A run lists them and never moves them; the admin (or
 * the AI's key) accepts some, and each accepted one is archived as an ordinary audited move by the
 * caller, marked with the run so that undoing the run brings it back.
 *
 * A memory never retrieved counts from when it arrived in long-term memory (created there, or
 * moved there). At most MAX_PROPOSALS a run, the longest unneeded first, among the oldest SCAN
 * long-term memories.
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import type { ArchiveProposal, ConsolidationSettings, ProposalsAccepted } from '@memory-weaver/protocol';
import { iso, notFound, tierRef } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { lastRetrievals, retrievalsRef } from '../search/retrievals.js';
import { moveMarked } from './move.js';
import { runsRef, type RunDoc } from './runs.js';

export const MAX_PROPOSALS = 200;
const SCAN = 5_000;
const DAY = 86_400_000;

export async function planProposals(
  db: Firestore,
  aiUuid: string,
  settings: ConsolidationSettings,
  now: Date,
): Promise<ArchiveProposal[]> {
  const cutoff = Timestamp.fromMillis(now.getTime() - settings.unretrieved_days * DAY);
  const [old, recent] = await Promise.all([
    tierRef(db, aiUuid, 'long_term_memory')
      .where('createdAt', '<=', cutoff)
      .orderBy('createdAt')
      .limit(SCAN)
      .select('createdAt', 'updatedAt', 'movedAt')
      .get(),
    retrievalsRef(db, aiUuid).where('lastAt', '>', cutoff).select().get(),
  ]);
  const retrieved = new Set(recent.docs.map((d) => d.id));
  const due = old.docs
    .filter((d) => !retrieved.has(d.id))
    .filter((d) => {
      const moved = d.get('movedAt') as Timestamp | null | undefined;
      return !moved || moved.toMillis() <= cutoff.toMillis();
    })
    .slice(0, MAX_PROPOSALS);
  const last = await lastRetrievals(
    db,
    aiUuid,
    due.map((d) => d.id),
  );
  return due.map((d): ArchiveProposal => {
    const at = last.get(d.id);
    return {
      memory_id: d.id,
      reason: at
        ? `not retrieved for ${settings.unretrieved_days} days: last retrieved ${iso(at).slice(0, 10)} (consolidation.unretrieved_days)`
        : `never retrieved in the ${settings.unretrieved_days} days since it was stored (consolidation.unretrieved_days)`,
      last_retrieved_at: at ? iso(at) : null,
      planned_updated_at: iso(d.get('updatedAt')),
      status: 'proposed',
    };
  });
}

/** Archives the chosen proposals of a run, each an audited move by the caller; answers what was done. */
export async function acceptProposals(
  ctx: MutationContext,
  aiUuid: string,
  runId: string,
  memoryIds: string[],
): Promise<ProposalsAccepted> {
  const runRef = runsRef(ctx.db, aiUuid).doc(runId);
  const run = (await runRef.get()).data() as RunDoc | undefined;
  if (!run) throw notFound('consolidation run');
  const proposed = new Map(run.proposals.filter((p) => p.status === 'proposed').map((p) => [p.memory_id, p]));
  const ids = [...new Set(memoryIds)];
  const skipped: ProposalsAccepted['skipped'] = [];
  const accepted: string[] = [];
  const outcomes = await Promise.all(
    ids.map(async (id) => {
      const p = proposed.get(id);
      if (!p) return { memory_id: id, outcome: 'skipped' as const, reason: 'not_proposed' };
      return moveMarked(ctx, aiUuid, runId, {
        memory_id: id,
        from_memory_type: 'long_term_memory',
        to_memory_type: 'archive',
        reason: `proposal accepted: ${p.reason}`,
        planned_updated_at: p.planned_updated_at,
      });
    }),
  );
  for (const o of outcomes) {
    if (o.outcome === 'moved') accepted.push(o.memory_id);
    else skipped.push({ memory_id: o.memory_id, reason: o.reason ?? 'skipped' });
  }
  const answer: ProposalsAccepted = { run_id: runId, accepted, skipped };
  const done = new Map<string, ArchiveProposal['status']>(accepted.map((id) => [id, 'accepted']));
  const why = new Map(skipped.filter((s) => proposed.has(s.memory_id)).map((s) => [s.memory_id, s.reason]));
  await ctx.db.runTransaction(async (tx) => {
    const fresh = (await tx.get(runRef)).data() as RunDoc | undefined;
    if (!fresh) throw notFound('consolidation run');
    tx.update(runRef, {
      proposals: fresh.proposals.map((p) => {
        if (done.has(p.memory_id)) return { ...p, status: 'accepted' };
        const reason = why.get(p.memory_id);
        return reason ? { ...p, status: 'skipped', skip_reason: reason } : p;
      }),
      updatedAt: Timestamp.fromDate(ctx.clock.now()),
    });
    ctx.record(tx, answer);
  });
  return answer;
}
