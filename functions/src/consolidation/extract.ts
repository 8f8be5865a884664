/**
 * @module consolidation/extract — extraction before archiving. A chat exchange's working-memory
 * entry went through extraction when it was stored (its job was queued in the same commit as the
 * turn, when extraction was on; when it was off then, the owner chose not to learn from that
 * exchange, and a run doesn't overrule that). Entries written directly through the memory API
 * never did: before they move, their text is queued as extraction jobs, so lasting facts reach
 * long-term memory through the gate (extraction/), run by the ordinary `extract` trigger.
 *
 * A job holds at most MAX_MESSAGES messages (extraction/jobs.ts), so the entries go in jobs of
 * CHUNK, with ids fixed by the run (`{run}-x{n}`): a resumed run creates none twice. The job holds
 * the entries' text (its `messages`, as every job does), so the entries can move at once; the facts
 * extracted name the job in their `origin`. With extraction off for the AI, or no model
 * configured, no job is queued and the entries move unextracted: the run says so
 * (`extraction.status` `off` / `no_model`), a dry run too.
 */
import { Timestamp } from 'firebase-admin/firestore';
import type { ConsolidationAction, ConsolidationExtraction } from '@memory-weaver/protocol';
import { aiRef, memoryRef, notFound, openSnapshots } from '@memory-weaver/core';
import type { DocumentData } from 'firebase-admin/firestore';
import { sealedTransaction } from '../crypto/sealedWrite.js';
import { extractionsRef, newJob } from '../extraction/jobs.js';
import { extractionSettingsOf } from '../extraction/settings.js';
import { extractionState, runModel, type ConsolidationDeps } from './deps.js';
import { runsRef, type RunDoc } from './runs.js';

/** Entries per job: extraction/jobs.ts keeps at most 20 messages of a job. */
export const CHUNK = 20;

export function planExtraction(
  deps: ConsolidationDeps,
  registry: DocumentData | undefined,
  actions: ConsolidationAction[],
): ConsolidationExtraction {
  const entries = actions.filter((a) => a.extract).length;
  if (entries === 0) return { status: 'none_needed', entries: 0, job_ids: [] };
  const state = extractionState(deps, registry);
  return { status: state.reason ?? 'planned', entries, job_ids: [] };
}

/** Queues the run's extraction jobs (settings read again now: extraction may have been turned off since the plan). */
export async function queueExtraction(deps: ConsolidationDeps, aiUuid: string, runId: string, run: RunDoc) {
  const registry = (await aiRef(deps.db, aiUuid).get()).data();
  if (!registry || registry.deletedAt) throw notFound('AI instance');
  const runRef = runsRef(deps.db, aiUuid).doc(runId);
  const state = extractionState(deps, registry);
  if (!state.active) {
    await runRef.update({ 'extraction.status': state.reason });
    return;
  }
  const model = runModel(deps, registry) as string;
  const ids = run.actions.filter((a) => a.extract).map((a) => a.memory_id);
  const jobIds: string[] = [];
  for (let k = 0; k * CHUNK < ids.length; k++) {
    const refs = ids.slice(k * CHUNK, (k + 1) * CHUNK).map((id) => memoryRef(deps.db, aiUuid, 'working_memory', id));
    // An entry already gone (moved by an earlier attempt, edited away) has nothing left to extract here.
    const texts = (await openSnapshots(deps.db, aiUuid, await deps.db.getAll(...refs))).flatMap((d) =>
      d.exists ? [String(d.get('content') ?? '')] : [],
    );
    if (texts.length === 0) continue;
    const jobId = `${runId}-x${String(k)}`;
    const job = newJob({
      source: 'observe',
      sessionId: null,
      turnIds: [],
      messages: texts.map((content) => ({ role: 'user', content })),
      injected: [],
      settings: extractionSettingsOf(registry),
      model,
      at: deps.clock.now(),
    });
    // The job's copy of the entries is sealed (packages/core/src/crypto/fields.ts), as a turn's is.
    const ref = extractionsRef(deps.db, aiUuid).doc(jobId);
    await sealedTransaction(deps.db, aiUuid, async (tx) => {
      // Queued by an earlier attempt of this run: left as it is.
      if (!(await tx.get(ref)).exists) tx.create(ref, job);
    });
    jobIds.push(jobId);
  }
  await runRef.update({
    'extraction.status': 'queued',
    'extraction.job_ids': jobIds,
    updatedAt: Timestamp.fromDate(deps.clock.now()),
  });
}
