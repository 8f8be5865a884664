/**
 * @module extraction/jobs — an extraction job: one exchange to learn from, stored at
 * `ai_registry/{ai}/extractions/{id}`. The job is the unit of idempotency: its id is fixed by the
 * exchange (the chat turn's id, or the observe request's), its candidates are checkpointed once
 * the model has proposed them, and every decision applied is recorded in the same commit as the
 * change it made, so a retried job continues where the last attempt stopped and doubles nothing.
 *
 * A job is run by the `extract` Firestore trigger (index.ts) whenever it is written with status
 * `queued`: created so, or set back to it by a retry.
 */
import { Timestamp, type DocumentData, type Firestore, type Transaction } from 'firebase-admin/firestore';
import type {
  Decision,
  ExtractionCounts,
  ExtractionDecision,
  ExtractionJob,
  ExtractionJobStatus,
  ExtractionSettings,
  MemoryType,
} from '@memory-weaver/protocol';
import { aiRef, decodeCursor, encodeCursor, iso, isoOrNull, openSnapshots } from '@memory-weaver/core';
import { redactSecrets } from './gate.js';

export const EXTRACTIONS = 'extractions';
export const extractionsRef = (db: Firestore, aiUuid: string) => aiRef(db, aiUuid).collection(EXTRACTIONS);

export interface ExchangeMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A candidate after the gate, as checkpointed in the job. */
export interface Candidate {
  index: number;
  /** The fact as it would be stored (after redaction); '' for a rejected secret or personal data. */
  content: string;
  subject: string;
  rejected: string | null;
}

/** What a decision applied to the store; written in the commit of the change it made. */
export interface Applied {
  decision: Decision;
  memoryId?: string;
  targetId?: string;
  reason?: string;
  /** For a supersede done in two changes: the new memory's create committed, the old one's move not yet. */
  pendingMove?: boolean;
  undone?: boolean;
}

export interface JobDoc {
  status: ExtractionJobStatus;
  source: 'chat' | 'observe';
  sessionId: string | null;
  turnIds: string[];
  /** The exchange, with secrets already redacted: a job never holds what the gate would refuse to store. */
  messages: ExchangeMessage[];
  /** Contents of the memories injected into the exchange's context (the gate's echo check). */
  injected: string[];
  /** The settings as they were when the exchange happened. */
  settings: ExtractionSettings;
  model: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  finishedAt: Timestamp | null;
  attempts: number;
  /** Until when the current attempt owns the job; a later attempt may take over after it. */
  claimedUntil: Timestamp | null;
  candidates: Candidate[] | null;
  applied: Record<string, Applied>;
  error: { code: string; message: string } | null;
}

/** How many characters of an exchange a job keeps per message: facts are short, transcripts aren't. */
const MESSAGE_CHARS = 8_000;
const MAX_MESSAGES = 20;

export function newJob(input: {
  source: 'chat' | 'observe';
  sessionId: string | null;
  turnIds: string[];
  messages: ExchangeMessage[];
  injected: string[];
  settings: ExtractionSettings;
  model: string;
  at: Date;
}): JobDoc {
  const at = Timestamp.fromDate(input.at);
  return {
    status: 'queued',
    source: input.source,
    sessionId: input.sessionId,
    turnIds: input.turnIds,
    messages: input.messages
      .filter((m) => m.role !== 'system')
      .slice(-MAX_MESSAGES)
      .map((m) => ({ role: m.role, content: redactSecrets(m.content.slice(0, MESSAGE_CHARS)).text })),
    injected: input.injected.slice(0, 50).map((c) => c.slice(0, 2_000)),
    settings: input.settings,
    model: input.model,
    createdAt: at,
    updatedAt: at,
    finishedAt: null,
    attempts: 0,
    claimedUntil: null,
    candidates: null,
    applied: {},
    error: null,
  };
}

export function enqueueJob(tx: Transaction, db: Firestore, aiUuid: string, jobId: string, job: JobDoc): void {
  tx.create(extractionsRef(db, aiUuid).doc(jobId), job);
}

export function countsOf(applied: Record<string, Applied>): ExtractionCounts {
  const counts: ExtractionCounts = { added: 0, duplicate: 0, superseded: 0, rejected: 0, queued: 0 };
  for (const a of Object.values(applied)) counts[a.decision] += 1;
  return counts;
}

export function rejectedByReason(applied: Record<string, Applied>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of Object.values(applied)) {
    if (a.decision === 'rejected' && a.reason) out[a.reason] = (out[a.reason] ?? 0) + 1;
  }
  return out;
}

export function toJob(aiUuid: string, id: string, d: DocumentData): ExtractionJob {
  const job = d as JobDoc;
  const applied = job.applied;
  const decisions: ExtractionDecision[] = (job.candidates ?? []).flatMap((c) => {
    const a = applied[String(c.index)];
    if (!a) return [];
    return [
      {
        index: c.index,
        decision: a.decision,
        ...(c.content ? { content: c.content } : {}),
        ...(a.reason ? { reason: a.reason } : {}),
        ...(a.memoryId ? { memory_id: a.memoryId } : {}),
        ...(a.targetId ? { target_id: a.targetId } : {}),
        ...(a.undone ? { undone: true } : {}),
      },
    ];
  });
  return {
    extraction_id: id,
    ai_uuid: aiUuid,
    status: job.status,
    source: job.source,
    session_id: job.sessionId,
    turn_ids: job.turnIds,
    created_at: iso(job.createdAt),
    updated_at: iso(job.updatedAt),
    finished_at: isoOrNull(job.finishedAt),
    attempts: job.attempts,
    counts: countsOf(applied),
    rejected_by_reason: rejectedByReason(applied),
    decisions,
    error: job.error,
  };
}

export async function readJob(db: Firestore, aiUuid: string, id: string): Promise<ExtractionJob | null> {
  const [snap] = await openSnapshots(db, aiUuid, [await extractionsRef(db, aiUuid).doc(id).get()]);
  const data = snap?.data();
  return data ? toJob(aiUuid, id, data) : null;
}

/** Newest first. */
export async function listJobs(
  db: Firestore,
  aiUuid: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ extractions: ExtractionJob[]; next_cursor: string | null }> {
  let q = extractionsRef(db, aiUuid)
    .orderBy('createdAt', 'desc')
    .orderBy('__name__', 'desc')
    .limit(page.limit + 1);
  if (page.cursor) {
    const c = decodeCursor(page.cursor);
    q = q.startAfter(c.at, c.id);
  }
  const docs = await openSnapshots(db, aiUuid, (await q.get()).docs);
  const shown = docs.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    extractions: shown.map((d) => toJob(aiUuid, d.id, d.data())),
    next_cursor: docs.length > page.limit && last ? encodeCursor(last.get('createdAt') as Timestamp, last.id) : null,
  };
}

export const targetTierOf = (job: JobDoc): MemoryType => job.settings.target_tier;
