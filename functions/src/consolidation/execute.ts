/**
 * @module consolidation/execute — executes a run's stored plan in batches:
 *
 *   claim the run ─▶ for each batch from `nextBatch`: every action as its own audited move
 *   (runChange, actor `consolidation`, a version kept), then the batch's outcomes and the next
 *   batch number in the run ─▶ done (or `partial` when told to stop after some batches)
 *
 * Each move reads the memory in its own transaction: one changed since the plan (its `updated_at`
 * differs) is skipped with `changed_since_plan`, so an edit made during a run is kept. A move
 * already made by this run (killed before its batch was recorded) is found by the `consolidation`
 * mark the move wrote on the memory, and counted, not made again. An AI deleted meanwhile stops
 * the run: its changes are refused (not found) and the run says `ai_deleted`.
 */
import { Timestamp, type DocumentReference, type Firestore } from 'firebase-admin/firestore';
import type { ConsolidationAction } from '@memory-weaver/protocol';
import { ApiError, conflict, GRPC, grpcCode, iso, memoryRef, notFound, type Clock } from '@memory-weaver/core';
import { type MutationContext, serviceContext } from '../context.js';
import { runChange } from '../memory/change.js';
import { toMemory } from '../memory/record.js';
import { saveVersion } from '../memory/versions.js';
import { runsRef, type Outcome, type RunDoc } from './runs.js';

/** Actions per batch: moved side by side (the write line commits up to 32 in one transaction), then recorded. */
export const BATCH = 100;
/** How long an execution owns its run before another may take over. */
const CLAIM_MS = 5 * 60_000;

export interface ExecuteDeps {
  db: Firestore;
  clock: Clock;
  /** Test hook: called after each batch is recorded; a test stops a run "killed" between batches by throwing. */
  afterBatch?: (batch: number) => Promise<void>;
}

/** What the move of a memory carries: which run moved it, why, and when (undo checks nothing changed since). */
export interface ConsolidationMark {
  runId: string;
  reason: string;
  movedAt: Timestamp;
}

class Settled extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome.outcome);
  }
}

export async function executeRun(
  deps: ExecuteDeps,
  aiUuid: string,
  runId: string,
  opts: { maxBatches?: number } = {},
): Promise<void> {
  const runRef = runsRef(deps.db, aiUuid).doc(runId);
  const run = await claim(deps, runRef);
  if (!run) return;
  const ctx = serviceContext(deps, { service: 'consolidation', id: runId, aiUuid });
  const batches = Math.ceil(run.actions.length / BATCH);
  let outcomes = run.outcomes.slice(0, run.nextBatch * BATCH);
  let done = 0;
  for (let b = run.nextBatch; b < batches; b++) {
    if (opts.maxBatches !== undefined && done >= opts.maxBatches) {
      await runRef.update({ status: 'partial', claimedUntil: null, updatedAt: now(deps) });
      return;
    }
    const slice = run.actions.slice(b * BATCH, (b + 1) * BATCH);
    const settled = await Promise.allSettled(slice.map((a) => moveOne(ctx, aiUuid, runId, a)));
    const gone = settled.find((s) => s.status === 'rejected' && isAiGone(s.reason));
    if (gone) {
      await stop(deps, runRef, 'ai_deleted');
      return;
    }
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
  const at = now(deps);
  await runRef.update({ status: 'done', claimedUntil: null, updatedAt: at, finishedAt: at });
}

const now = (deps: ExecuteDeps) => Timestamp.fromDate(deps.clock.now());
const isAiGone = (err: unknown) =>
  err instanceof ApiError && err.code === 'not_found' && err.message.includes('AI instance');

/** Takes the run for this execution; null when there is nothing to execute. A run owned by a live execution is a conflict. */
async function claim(deps: ExecuteDeps, runRef: DocumentReference): Promise<RunDoc | null> {
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
async function stop(deps: ExecuteDeps, runRef: DocumentReference, reason: string): Promise<void> {
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

/** One planned move, as an ordinary audited move of the memory (event `moved`, a version kept). */
async function moveOne(ctx: MutationContext, aiUuid: string, runId: string, a: ConsolidationAction): Promise<Outcome> {
  const source = memoryRef(ctx.db, aiUuid, a.from_memory_type, a.memory_id);
  const destination = memoryRef(ctx.db, aiUuid, a.to_memory_type, a.memory_id);
  try {
    return await runChange(ctx, aiUuid, [source, destination], ({ tx, docs, now, actor, event }) => {
      const data = docs[0]?.data();
      const there = docs[1]?.data();
      const skip = (reason: string) => new Settled({ memory_id: a.memory_id, outcome: 'skipped', reason });
      if (!data) {
        if ((there?.consolidation as ConsolidationMark | undefined)?.runId === runId) {
          throw new Settled({ memory_id: a.memory_id, outcome: 'moved' });
        }
        throw skip('gone');
      }
      if (iso(data.updatedAt) !== a.planned_updated_at) throw skip('changed_since_plan');
      if (there) throw skip('id_taken_in_destination');
      const at = Timestamp.fromDate(now);
      const mark: ConsolidationMark = { runId, reason: a.reason, movedAt: at };
      const moved = {
        ...data,
        movedFrom: a.from_memory_type,
        movedAt: at,
        updatedAt: at,
        updatedBy: actor,
        updatedVia: ctx.via,
        consolidation: mark,
      };
      tx.create(destination, moved);
      tx.delete(source);
      const eventId = event({
        type: 'moved',
        memoryId: a.memory_id,
        tier: a.to_memory_type,
        fromTier: a.from_memory_type,
        toTier: a.to_memory_type,
        memory: toMemory(a.memory_id, a.to_memory_type, moved),
      });
      saveVersion(tx, ctx.db, aiUuid, toMemory(a.memory_id, a.from_memory_type, data), {
        kind: 'moved',
        eventId,
        at: now,
        actor,
      });
      return { memory_id: a.memory_id, outcome: 'moved' } satisfies Outcome;
    });
  } catch (err) {
    if (err instanceof Settled) return err.outcome;
    throw err;
  }
}
