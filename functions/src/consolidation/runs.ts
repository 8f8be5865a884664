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
  ArchiveProposal,
  ConsolidationAction,
  ConsolidationExtraction,
  ConsolidationReflection,
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
  /** Long-term memories proposed for archiving; `status` changes when the admin accepts some (accept.ts). */
  proposals: ArchiveProposal[];
  /** Extraction before archiving (extract.ts): which entries, and the jobs queued for them. Absent in runs planned before it existed. */
  extraction?: ConsolidationExtraction;
  /** The run's reflection (reflect.ts): ids only, never the reflection's text. Absent in runs planned before it existed. */
  reflection?: ConsolidationReflection;
  outcomes: Outcome[];
  /** The next batch to execute (batches are BATCH actions of `actions`, in order). */
  nextBatch: number;
  /** Until when an execution owns the run; another may take over after it (a crashed worker). */
  claimedUntil: Timestamp | null;
  undone: number;
  stoppedReason: string | null;
  more: boolean;
}

/** What a run planned before extraction and reflections existed shows for them. */
const NO_EXTRACTION: ConsolidationExtraction = { status: 'none_needed', entries: 0, job_ids: [] };
const NO_REFLECTION: ConsolidationReflection = {
  status: 'skipped',
  reason: 'reflections_off',
  memory_id: null,
  sources: [],
  period_start: null,
};

export function toRun(aiUuid: string, id: string, d: DocumentData): ConsolidationRun {
  const run = d as RunDoc;
  const moved = run.outcomes.filter((o) => o.outcome === 'moved').length;
  const proposals = (run.proposals as Partial<ArchiveProposal>[]).map((p): ArchiveProposal => ({
    memory_id: String(p.memory_id),
    reason: String(p.reason),
    last_retrieved_at: p.last_retrieved_at ?? null,
    planned_updated_at: p.planned_updated_at ?? iso(run.createdAt),
    status: p.status ?? 'proposed',
    ...(p.skip_reason ? { skip_reason: p.skip_reason } : {}),
  }));
  return {
    run_id: id,
    ai_uuid: aiUuid,
    status: run.status,
    dry_run: run.dryRun,
    created_at: iso(run.createdAt),
    updated_at: iso(run.updatedAt),
    finished_at: isoOrNull(run.finishedAt),
    settings: run.settings,
    // Runs planned before extraction-first and summaries existed lack these two fields.
    actions: (
      run.actions as (Omit<ConsolidationAction, 'extract' | 'summary_id'> & Partial<ConsolidationAction>)[]
    ).map((a) => ({ ...a, extract: a.extract ?? false, summary_id: a.summary_id ?? null })),
    retrieval_tracked: run.retrievalTracked,
    proposals,
    extraction: run.extraction ?? NO_EXTRACTION,
    reflection: run.reflection ?? NO_REFLECTION,
    outcomes: run.outcomes.map((o) => ({
      memory_id: o.memory_id,
      outcome: o.outcome,
      ...(o.reason ? { reason: o.reason } : {}),
    })),
    counts: {
      planned: run.actions.length,
      moved,
      skipped: run.outcomes.length - moved,
      undone: run.undone,
      proposed: proposals.length,
      accepted: proposals.filter((p) => p.status === 'accepted').length,
    },
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
