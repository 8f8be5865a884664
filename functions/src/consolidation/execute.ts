/**
 * @module consolidation/execute — executes a run's stored plan:
 *
 *   claim the run ─▶ extraction first: the jobs for entries that never went through extraction
 *   (extract.ts) ─▶ for each batch from `nextBatch`: every action as its own audited move
 *   (move.ts, actor `consolidation`), then the batch's outcomes and the next batch number in the
 *   run ─▶ the reflection (reflect.ts) ─▶ done (or `partial` when told to stop after some batches)
 *
 * Each move reads the memory in its own transaction: one changed since the plan (its `updated_at`
 * differs) is skipped with `changed_since_plan`, so an edit made during a run is kept. A move
 * already made by this run (killed before its batch was recorded) is found by the `consolidation`
 * mark the move wrote on the memory, and counted, not made again. An AI deleted meanwhile stops
 * the run: its changes are refused (not found) and the run says `ai_deleted`.
 */
import { Timestamp, type DocumentReference } from 'firebase-admin/firestore';
import { ApiError, conflict, GRPC, grpcCode, notFound } from '@memory-weaver/core';
import { serviceContext } from '../context.js';
import type { ConsolidationDeps } from './deps.js';
import { queueExtraction } from './extract.js';
import { moveMarked } from './move.js';
import { writeReflection } from './reflect.js';
import { runsRef, type Outcome, type RunDoc } from './runs.js';

/** Actions per batch: moved side by side (the write line commits up to 32 in one transaction), then recorded. */
export const BATCH = 100;
/** How long an execution owns its run before another may take over. */
const CLAIM_MS = 5 * 60_000;

/** Kept for callers that name the old type: a run's dependencies. */
export type ExecuteDeps = ConsolidationDeps;
export type { ConsolidationMark } from './move.js';

export async function executeRun(
  deps: ConsolidationDeps,
  aiUuid: string,
  runId: string,
  opts: { maxBatches?: number } = {},
): Promise<void> {
  const runRef = runsRef(deps.db, aiUuid).doc(runId);
  const run = await claim(deps, runRef);
  if (!run) return;
  const ctx = serviceContext(deps, { service: 'consolidation', id: runId, aiUuid });
  try {
    if (run.extraction?.status === 'planned') await queueExtraction(deps, aiUuid, runId, run);
  } catch (err) {
    if (isAiGone(err)) return stop(deps, runRef, 'ai_deleted');
    await runRef.update({ status: 'partial', claimedUntil: null, updatedAt: now(deps) });
    throw err;
  }
  const batches = Math.ceil(run.actions.length / BATCH);
  let outcomes = run.outcomes.slice(0, run.nextBatch * BATCH);
  let done = 0;
  for (let b = run.nextBatch; b < batches; b++) {
    if (opts.maxBatches !== undefined && done >= opts.maxBatches) {
      await runRef.update({ status: 'partial', claimedUntil: null, updatedAt: now(deps) });
      return;
    }
    const slice = run.actions.slice(b * BATCH, (b + 1) * BATCH);
    const settled = await Promise.allSettled(slice.map((a) => moveMarked(ctx, aiUuid, runId, a)));
    const gone = settled.find((s) => s.status === 'rejected' && isAiGone(s.reason));
    if (gone) return stop(deps, runRef, 'ai_deleted');
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) {
      // Nothing of this batch is recorded: executing the run again redoes it, finding its moves made.
      await runRef.update({ status: 'partial', claimedUntil: null, updatedAt: now(deps) });
      throw failed.reason;
    }
    outcomes = [...outcomes, ...settled.map((s) => (s as PromiseFulfilledResult<Outcome>).value)];
    await runRef.update({
      outcomes,
      nextBatch: b + 1,
      updatedAt: now(deps),
      claimedUntil: Timestamp.fromMillis(deps.clock.now().getTime() + CLAIM_MS),
    });
    done++;
    await deps.afterBatch?.(b);
  }
  try {
    await writeReflection(deps, aiUuid, runId, run);
  } catch (err) {
    if (isAiGone(err)) return stop(deps, runRef, 'ai_deleted');
    await runRef.update({ status: 'partial', claimedUntil: null, updatedAt: now(deps) });
    throw err;
  }
  const at = now(deps);
  await runRef.update({ status: 'done', claimedUntil: null, updatedAt: at, finishedAt: at });
}

const now = (deps: ConsolidationDeps) => Timestamp.fromDate(deps.clock.now());
export const isAiGone = (err: unknown) =>
  err instanceof ApiError && err.code === 'not_found' && err.message.includes('AI instance');

/** Takes the run for this execution; null when there is nothing to execute. A run owned by a live execution is a conflict. */
async function claim(deps: ConsolidationDeps, runRef: DocumentReference): Promise<RunDoc | null> {
  return deps.db.runTransaction(async (tx) => {
    const run = (await tx.get(runRef)).data() as RunDoc | undefined;
    if (!run) throw notFound('consolidation run');
    const at = deps.clock.now();
    if (run.status === 'done' || run.status === 'stopped' || run.status === 'undone') return null;
    if (run.status === 'running' && (run.claimedUntil?.toDate() ?? at) > at) {
      throw conflict('this run is being executed right now: try again when it has finished', { status: run.status });
    }
    tx.update(runRef, {
      status: 'running',
      dryRun: false,
      claimedUntil: Timestamp.fromMillis(at.getTime() + CLAIM_MS),
      updatedAt: Timestamp.fromDate(at),
    });
    return run;
  });
}

/** Records why the run stopped; when the AI's data is already purged (the run with it), there is nobody left to tell. */
async function stop(deps: ConsolidationDeps, runRef: DocumentReference, reason: string): Promise<void> {
  const at = now(deps);
  try {
    await runRef.update({
      status: 'stopped',
      stoppedReason: reason,
      claimedUntil: null,
      updatedAt: at,
      finishedAt: at,
    });
  } catch (err) {
    if (grpcCode(err) !== GRPC.NOT_FOUND) throw err;
  }
}
