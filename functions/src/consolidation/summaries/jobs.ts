/**
 * @module consolidation/summaries/jobs — a summary job: "summarise this session up to this turn",
 * stored at `ai_registry/{ai}/summary_jobs/{turnId}`. It is queued in the commit of the turn that
 * makes the session's count a multiple of the AI's `every_turns` (chat/storeExchange.ts), and run by
 * the `summarize` Firestore trigger (index.ts) while its status is `queued`.
 *
 * The job holds no conversation text: it names the session and the turn, and the run reads the
 * turns (already secret-redacted) when it runs. Its outcome keeps the reason and the dropped facts
 * of a rejection, which are short items of the turns (names, numbers, dates, decision phrases).
 */
import { Timestamp, type Firestore, type Transaction } from 'firebase-admin/firestore';
import type { PinnedFact, SummaryCounts } from '@memory-weaver/protocol';
import { aiRef } from '@memory-weaver/core';

export const SUMMARY_JOBS = 'summary_jobs';
export const summaryJobsRef = (db: Firestore, aiUuid: string) => aiRef(db, aiUuid).collection(SUMMARY_JOBS);

/**
 * `done`: a summary was written; `rejected`: the check refused it and the previous one stays;
 * `failed`: the model gave nothing usable; `skipped`: nothing left to cover (a newer summary
 * already covers the job's turn).
 */
export type SummaryJobStatus = 'queued' | 'running' | 'done' | 'rejected' | 'failed' | 'skipped';

export interface SummaryJobDoc {
  status: SummaryJobStatus;
  sessionId: string;
  /** The turn that queued the job: the summary covers the session up to it. */
  turnId: string;
  /** The session's turn count with that turn. */
  turnCount: number;
  model: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  finishedAt: Timestamp | null;
  attempts: number;
  /** Until when the current attempt owns the job; a later attempt may take over after it. */
  claimedUntil: Timestamp | null;
  /** The summary memory written (status `done`). */
  memoryId: string | null;
  /** Why a summary was rejected or failed. */
  reason: string | null;
  dropped: PinnedFact[];
  missing: string[];
}

export function newSummaryJob(input: {
  sessionId: string;
  turnId: string;
  turnCount: number;
  model: string;
  at: Date;
}) {
  const at = Timestamp.fromDate(input.at);
  const job: SummaryJobDoc = {
    status: 'queued',
    sessionId: input.sessionId,
    turnId: input.turnId,
    turnCount: input.turnCount,
    model: input.model,
    createdAt: at,
    updatedAt: at,
    finishedAt: null,
    attempts: 0,
    claimedUntil: null,
    memoryId: null,
    reason: null,
    dropped: [],
    missing: [],
  };
  return job;
}

/** Queues the job in the caller's commit; keyed by the turn, so one turn queues one job whatever retries. */
export function enqueueSummaryJob(tx: Transaction, db: Firestore, aiUuid: string, job: SummaryJobDoc): void {
  tx.create(summaryJobsRef(db, aiUuid).doc(job.turnId), job);
}

/**
 * The AI's counts, from its jobs (count queries, no counter document to keep true): each job ends
 * in exactly one of these.
 */
export async function aiSummaryCounts(db: Firestore, aiUuid: string): Promise<SummaryCounts> {
  const count = async (status: SummaryJobStatus) =>
    (await summaryJobsRef(db, aiUuid).where('status', '==', status).count().get()).data().count;
  const [written, rejected, failed] = await Promise.all([count('done'), count('rejected'), count('failed')]);
  return { written, rejected, failed };
}
