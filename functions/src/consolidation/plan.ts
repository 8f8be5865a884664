/**
 * @module consolidation/plan — what a run will do, computed once and stored with the run: the
 * working-memory entries not changed for the AI's age limit (oldest first, at most MAX_ACTIONS per
 * run; `more` says another run continues), each to move to the archive with its reason.
 *
 * Long-term memories "not retrieved for a period" are not measurable yet: nothing records when a
 * memory was last retrieved (search and context assembly write nothing, on purpose: a read stays a
 * read). Rather than guess from creation times, a run proposes nothing and says
 * `retrieval_tracked: false`; the proposals list is where such memories go once retrieval is
 * recorded.
 */
import { randomUUID } from 'node:crypto';
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import type { ConsolidationAction } from '@memory-weaver/protocol';
import { aiRef, iso, notFound, tierRef, type Clock } from '@memory-weaver/core';
import { runsRef, type RunDoc } from './runs.js';
import { consolidationSettingsOf } from './settings.js';

/** The most moves one run plans: a bounded plan document (about 200 bytes an action) and a bounded run. */
export const MAX_ACTIONS = 2_000;

export async function planRun(
  db: Firestore,
  clock: Clock,
  aiUuid: string,
  dryRun: boolean,
  opts: { skipEmpty?: boolean } = {},
): Promise<{ runId: string; run: RunDoc } | null> {
  const registry = (await aiRef(db, aiUuid).get()).data();
  if (!registry || registry.deletedAt) throw notFound('AI instance');
  const settings = consolidationSettingsOf(registry);
  const now = clock.now();
  const cutoff = Timestamp.fromMillis(now.getTime() - settings.working_memory_max_age_hours * 3_600_000);
  const old = await tierRef(db, aiUuid, 'working_memory')
    .where('updatedAt', '<=', cutoff)
    .orderBy('updatedAt')
    .limit(MAX_ACTIONS + 1)
    .select('updatedAt')
    .get();
  const reason = `not changed for ${settings.working_memory_max_age_hours} h (consolidation.working_memory_max_age_hours)`;
  const actions: ConsolidationAction[] = old.docs.slice(0, MAX_ACTIONS).map((d) => ({
    memory_id: d.id,
    from_memory_type: 'working_memory',
    to_memory_type: 'archive',
    reason,
    planned_updated_at: iso(d.get('updatedAt')),
  }));
  const at = Timestamp.fromDate(now);
  const run: RunDoc = {
    status: 'planned',
    dryRun,
    createdAt: at,
    updatedAt: at,
    finishedAt: null,
    settings,
    actions,
    retrievalTracked: false,
    proposals: [],
    outcomes: [],
    nextBatch: 0,
    claimedUntil: null,
    undone: 0,
    stoppedReason: null,
    more: old.docs.length > MAX_ACTIONS,
  };
  // The scheduled pass stores no run for an AI with nothing to do: a read, and no write, per idle AI.
  if (opts.skipEmpty && actions.length === 0) return null;
  const runId = randomUUID().replace(/-/g, '');
  await runsRef(db, aiUuid).doc(runId).create(run);
  return { runId, run };
}
