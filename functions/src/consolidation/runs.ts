/**
 * @module consolidation/runs — a consolidation run, stored at `ai_registry/{ai}/consolidations/{id}`.
 * The run holds its plan, fixed once when it is planned: a dry run shows it, executing the run
 * does exactly it. What each action did is known from the memory itself (a move made by the run
 * carries `consolidation.runId`, written in the move's own commit), and the run's `outcomes` are
 * written after each batch; a run stopped half-way and executed again finds its own moves already
 * made and doubles nothing.
 */
import { Timestamp, type DocumentData, type Firestore } from 'firebase-admin/firestore';
import type {
  ConsolidationAction,
  ConsolidationRun,
  ConsolidationRunStatus,
  ConsolidationSettings,
} from '@memory-weaver/protocol';
import { aiRef, iso, isoOrNull } from '@memory-weaver/core';

export const CONSOLIDATIONS = 'consolidations';
export const runsRef = (db: Firestore, aiUuid: string) => aiRef(db, aiUuid).collection(CONSOLIDATIONS);

export interface Outcome {
  memory_id: string;
  outcome: 'moved' | 'skipped';
  reason?: string;
}

export interface RunDoc {
  status: ConsolidationRunStatus;
  dryRun: boolean;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  finishedAt: Timestamp | null;
  settings: ConsolidationSettings;
  actions: ConsolidationAction[];
  retrievalTracked: boolean;
  proposals: { memory_id: string; reason: string }[];
  outcomes: Outcome[];
  /** The next batch to execute (batches are BATCH actions of `actions`, in order). */
  nextBatch: number;
  /** Until when an execution owns the run; another may take over after it (a crashed worker). */
  claimedUntil: Timestamp | null;
  undone: number;
  stoppedReason: string | null;
  more: boolean;
}

export function toRun(aiUuid: string, id: string, d: DocumentData): ConsolidationRun {
  const run = d as RunDoc;
  const moved = run.outcomes.filter((o) => o.outcome === 'moved').length;
  return {
    run_id: id,
    ai_uuid: aiUuid,
    status: run.status,
    dry_run: run.dryRun,
    created_at: iso(run.createdAt),
    updated_at: iso(run.updatedAt),
    finished_at: isoOrNull(run.finishedAt),
    settings: run.settings,
    actions: run.actions,
    retrieval_tracked: run.retrievalTracked,
    proposals: run.proposals,
    outcomes: run.outcomes.map((o) => ({
      memory_id: o.memory_id,
      outcome: o.outcome,
      ...(o.reason ? { reason: o.reason } : {}),
    })),
    counts: { planned: run.actions.length, moved, skipped: run.outcomes.length - moved, undone: run.undone },
    stopped_reason: run.stoppedReason,
    more: run.more,
  };
}

export async function readRun(db: Firestore, aiUuid: string, id: string): Promise<ConsolidationRun | null> {
  const data = (await runsRef(db, aiUuid).doc(id).get()).data();
  return data ? toRun(aiUuid, id, data) : null;
}

/** Newest first. */
export async function listRuns(db: Firestore, aiUuid: string, limit: number): Promise<ConsolidationRun[]> {
  const docs = (await runsRef(db, aiUuid).orderBy('createdAt', 'desc').limit(limit).get()).docs;
  return docs.map((d) => toRun(aiUuid, d.id, d.data()));
}
