/**
 * @module consolidation/plan — what a run will do, computed once and stored with the run:
 *
 *  - moves: the working-memory entries not changed for the AI's age limit (oldest first, at most
 *    MAX_ACTIONS per run; `more` says another run continues), each to the archive with its reason,
 *    linked to the summary of its chat session when there is one; session summaries themselves
 *    stay (a summary is the session's memory of what the moved entries said);
 *  - extraction first (extract.ts): which of those entries never went through extraction;
 *  - proposals (proposals.ts): long-term memories not retrieved for the AI's period;
 *  - the reflection (reflect.ts): whether one is written and which memories it is given.
 *
 * Only ids, times and reasons are stored in the plan, never memory text.
 */
import { randomUUID } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import type { ConsolidationAction, ConsolidationSettings } from '@memory-weaver/protocol';
import { aiRef, iso, notFound, openSnapshots, tierRef } from '@memory-weaver/core';
import { sessionsRef } from '../chat/sessions.js';
import type { ConsolidationDeps } from './deps.js';
import { planExtraction } from './extract.js';
import { planProposals } from './proposals.js';
import { planReflection } from './reflect.js';
import { runsRef, type RunDoc } from './runs.js';
import { consolidationSettingsOf } from './settings.js';

/** The most moves one run plans: a bounded plan document (about 250 bytes an action) and a bounded run. */
export const MAX_ACTIONS = 2_000;
/** A session summary: one working-memory memory per chat session (consolidation/summaries). */
export const SESSION_SUMMARY = 'session_summary';
/** A chat exchange's entry: its extraction job was queued with it when it was stored (chat/storeExchange.ts). */
const CHAT_EXCHANGE = 'chat_exchange';

export async function planRun(
  deps: ConsolidationDeps,
  aiUuid: string,
  dryRun: boolean,
  opts: { skipEmpty?: boolean } = {},
): Promise<{ runId: string; run: RunDoc } | null> {
  const registry = (await aiRef(deps.db, aiUuid).get()).data();
  if (!registry || registry.deletedAt) throw notFound('AI instance');
  const settings = consolidationSettingsOf(registry);
  const now = deps.clock.now();
  const [{ actions, more }, proposals] = await Promise.all([
    planMoves(deps, aiUuid, settings, now),
    planProposals(deps.db, aiUuid, settings, now),
  ]);
  const reflection = await planReflection(deps, aiUuid, registry, settings, actions);
  const at = Timestamp.fromDate(now);
  const run: RunDoc = {
    status: 'planned',
    dryRun,
    createdAt: at,
    updatedAt: at,
    finishedAt: null,
    settings,
    actions,
    retrievalTracked: true,
    proposals,
    extraction: planExtraction(deps, registry, actions),
    reflection,
    outcomes: [],
    nextBatch: 0,
    claimedUntil: null,
    undone: 0,
    stoppedReason: null,
    more,
  };
  // The scheduled pass stores no run for an AI with nothing to do: a few reads, and no write, per idle AI.
  if (opts.skipEmpty && actions.length === 0 && proposals.length === 0 && reflection.status !== 'planned') return null;
  const runId = randomUUID().replace(/-/g, '');
  await runsRef(deps.db, aiUuid).doc(runId).create(run);
  return { runId, run };
}

async function planMoves(
  deps: ConsolidationDeps,
  aiUuid: string,
  settings: ConsolidationSettings,
  now: Date,
): Promise<{ actions: ConsolidationAction[]; more: boolean }> {
  const cutoff = Timestamp.fromMillis(now.getTime() - settings.working_memory_max_age_hours * 3_600_000);
  // One read per entry: the few fields the plan needs, not the content. The metadata is read whole:
  // an encrypted AI's metadata is one sealed value (crypto/fields.ts), so a path inside it selects nothing.
  const old = await tierRef(deps.db, aiUuid, 'working_memory')
    .where('updatedAt', '<=', cutoff)
    .orderBy('updatedAt')
    .limit(MAX_ACTIONS + 1)
    .select('updatedAt', 'metadata')
    .get();
  const meta = (d: { get: (f: string) => unknown }, key: string): unknown => {
    const m = d.get('metadata') as Record<string, unknown> | null | undefined;
    return m && typeof m === 'object' ? m[key] : undefined;
  };
  const entries = (await openSnapshots(deps.db, aiUuid, old.docs)).filter((d) => meta(d, 'kind') !== SESSION_SUMMARY);
  const summaries = await sessionSummaries(
    deps,
    aiUuid,
    entries.map((d) => meta(d, 'session_id')),
  );
  const reason = `not changed for ${settings.working_memory_max_age_hours} h (consolidation.working_memory_max_age_hours)`;
  const actions = entries.slice(0, MAX_ACTIONS).map((d): ConsolidationAction => {
    const session = meta(d, 'session_id');
    const summaryId = typeof session === 'string' ? (summaries.get(session) ?? null) : null;
    return {
      memory_id: d.id,
      from_memory_type: 'working_memory',
      to_memory_type: 'archive',
      reason: summaryId ? `${reason}; its session is summarised in ${summaryId}` : reason,
      planned_updated_at: iso(d.get('updatedAt')),
      extract: meta(d, 'kind') !== CHAT_EXCHANGE,
      summary_id: summaryId,
    };
  });
  return { actions, more: old.docs.length > MAX_ACTIONS };
}

/** The summary memory of each of these sessions that has one (the session document's `summaryMemoryId`). */
async function sessionSummaries(deps: ConsolidationDeps, aiUuid: string, ids: unknown[]): Promise<Map<string, string>> {
  const sessions = [...new Set(ids.filter(isDocumentId))];
  const out = new Map<string, string>();
  for (let i = 0; i < sessions.length; i += 300) {
    const refs = sessions.slice(i, i + 300).map((s) => sessionsRef(deps.db, aiUuid).doc(s));
    for (const d of await deps.db.getAll(...refs)) {
      const summary = d.get('summaryMemoryId') as unknown;
      if (typeof summary === 'string' && summary !== '') out.set(d.id, summary);
    }
  }
  return out;
}

/** A session id that names a document (metadata written through the API can hold anything). */
const isDocumentId = (s: unknown): s is string =>
  typeof s === 'string' &&
  s.length > 0 &&
  s.length <= 500 &&
  !s.includes('/') &&
  s !== '.' &&
  s !== '..' &&
  !/^__.*__$/.test(s);
