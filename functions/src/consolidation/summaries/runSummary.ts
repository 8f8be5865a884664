/**
 * @module consolidation/summaries/runSummary — one attempt at one summary job, start to finish:
 *
 *   claim the job ─▶ read the summary in force and the turns after it, up to the job's turn
 *   ─▶ ask the model for the new summary ─▶ check it in code (pinned facts it drops) ─▶ check it
 *   with the model ─▶ write it (the summary memory created or updated in place through runChange:
 *   its event carries `summary`, its version keeps the summary it replaces), or record why not
 *   (`summary_rejected`, `summary_failed`), in the same commit as the job's outcome
 *
 * Idempotent per job: the outcome's commit requires the job to be this attempt's, and a job whose
 * turn a summary already covers is skipped, so a job run twice (a redelivered trigger, a job set
 * back to `queued`) writes once. A summary that fails any step leaves the one in force untouched:
 * the next job covers the same turns again, and the context keeps them raw meanwhile.
 */
import {
  FieldPath,
  FieldValue,
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
} from 'firebase-admin/firestore';
import type { Memory, PinnedFact, SummaryCovers, SummaryEventInfo } from '@memory-weaver/protocol';
import { ApiError, aiRef, isLive, memoryRef, openSnapshots, tierRef, type Clock } from '@memory-weaver/core';
import { type MutationContext, serviceContext } from '../../context.js';
import { redactSecrets } from '../../extraction/secrets.js';
import type { ChatModel } from '../../llm/base.js';
import { runChange } from '../../memory/change.js';
import { newMemoryDoc, toMemory } from '../../memory/record.js';
import { saveVersion } from '../../memory/versions.js';
import { sessionsRef, turnsRef } from '../../chat/sessions.js';
import { checkSummary, type CoveredTurn } from './check.js';
import { summaryJobsRef, type SummaryJobDoc } from './jobs.js';
import { checkWithModel, SummaryModelError, writeSummary } from './model.js';
import { coversOf, summaryInForce, type CoversDoc } from './state.js';

export interface SummaryDeps {
  db: MutationContext['db'];
  clock: Clock;
  /** The configured model; summaries never run without one. */
  chat: ChatModel;
  /** How long one model call may take. */
  timeoutMs: number;
}

export type SummaryOutcome = 'done' | 'rejected' | 'failed' | 'skipped' | 'busy';

/** How long an attempt owns its job before another may take over. */
const CLAIM_MS = 120_000;
/** The most turns one summary adds (a backlog after failures is taken in steps of this). */
const MAX_TURNS = 100;
/** A summary longer than this is refused rather than cut: cutting would drop facts silently. */
export const SUMMARY_CHARS = 8_000;
/** The most dropped or missing facts an event and the job keep. */
const REPORTED = 20;

class NotOurs extends Error {}
/** Another summary of the session landed since this one read its base. */
class BaseChanged extends Error {}

export async function runSummary(deps: SummaryDeps, aiUuid: string, jobId: string): Promise<SummaryOutcome> {
  const jobRef = summaryJobsRef(deps.db, aiUuid).doc(jobId);
  const job = await claim(deps, aiUuid, jobRef);
  if (!job) return 'busy';
  const ctx = serviceContext(deps, { service: 'consolidation', id: jobId, aiUuid, via: 'summaries' });
  const outcome = { ctx, aiUuid, jobId, jobRef, attempt: job.attempts, sessionId: job.sessionId };
  try {
    return await attemptJob(deps, outcome, job);
  } catch (err) {
    if (err instanceof NotOurs) return 'busy';
    if (err instanceof ApiError && err.code === 'not_found') return 'skipped';
    throw err;
  }
}

async function attemptJob(deps: SummaryDeps, outcome: Outcome, job: SummaryJobDoc): Promise<SummaryOutcome> {
  const { aiUuid } = outcome;
  try {
    // Twice at most: a summary that another job wrote meanwhile changes the base, and this job
    // then summarises again over the new one.
    for (let pass = 0; pass < 2; pass++) {
      const base = await readBase(deps, aiUuid, job);
      if (!base) return await skip(outcome, job);
      const attempt = await summarise(deps, aiUuid, job, base);
      if ('rejected' in attempt) {
        await reject(outcome, attempt.rejected);
        return 'rejected';
      }
      try {
        return await write(outcome, base, attempt.summary);
      } catch (err) {
        if (!(err instanceof BaseChanged)) throw err;
      }
    }
    return await skip(outcome, job);
  } catch (err) {
    if (err instanceof SummaryModelError) {
      await fail(outcome, err.code);
      return 'failed';
    }
    if (!(err instanceof NotOurs) && !(err instanceof ApiError)) await fail(outcome, 'internal').catch(() => undefined);
    throw err;
  }
}

/** Takes the job for this attempt; null when it isn't ours to run (done, or running elsewhere). */
async function claim(deps: SummaryDeps, aiUuid: string, jobRef: DocumentReference): Promise<SummaryJobDoc | null> {
  return deps.db.runTransaction(async (tx) => {
    const [ai, snap] = await tx.getAll(aiRef(deps.db, aiUuid), jobRef);
    const job = snap?.data() as SummaryJobDoc | undefined;
    if (!isLive(ai?.data()) || !job) return null;
    const now = deps.clock.now();
    const stale = job.status === 'running' && (job.claimedUntil?.toDate() ?? now) <= now;
    if (job.status !== 'queued' && !stale) return null;
    const attempts = job.attempts + 1;
    tx.update(jobRef, {
      status: 'running',
      attempts,
      claimedUntil: Timestamp.fromMillis(now.getTime() + CLAIM_MS),
      updatedAt: Timestamp.fromDate(now),
    });
    return { ...job, status: 'running', attempts };
  });
}

interface Base {
  sessionRef: DocumentReference;
  /** The summary memory this one replaces, or where a first summary goes. */
  memoryRef: DocumentReference;
  memoryId: string | null;
  previous: string | null;
  covers: CoversDoc | null;
  turns: DocumentSnapshot[];
}

/** The summary in force and the turns after it up to the job's turn; null when there is nothing to add. */
async function readBase(deps: SummaryDeps, aiUuid: string, job: SummaryJobDoc): Promise<Base | null> {
  const sessionRef = sessionsRef(deps.db, aiUuid).doc(job.sessionId);
  const [session, last] = await Promise.all([
    sessionRef.get(),
    turnsRef(deps.db, aiUuid, job.sessionId).doc(job.turnId).get(),
  ]);
  if (!session.exists || !last.exists) return null;
  const covers = coversOf(session.data());
  if (covers && covers.turns >= job.turnCount) return null;
  const current = await summaryInForce(deps.db, aiUuid, session.data());
  let q = turnsRef(deps.db, aiUuid, job.sessionId).orderBy('timestamp').orderBy(FieldPath.documentId());
  if (covers) q = q.startAfter(covers.lastTurnAt, covers.lastTurn);
  // Turns are sealed at rest: opened as the API opens them.
  const turns = await openSnapshots(
    deps.db,
    aiUuid,
    (await q.endAt(last.get('timestamp'), last.id).limit(MAX_TURNS).get()).docs,
  );
  if (turns.length === 0) return null;
  // A summary moved out of working memory (the lifecycle archived it) stays where it is, as history;
  // the session's summary continues in a new working-memory entry.
  const inPlace = current?.memoryType === 'working_memory' ? current.memoryId : null;
  return {
    sessionRef,
    memoryRef: inPlace
      ? memoryRef(deps.db, aiUuid, 'working_memory', inPlace)
      : tierRef(deps.db, aiUuid, 'working_memory').doc(),
    memoryId: inPlace,
    previous: current?.content ?? null,
    covers,
    turns,
  };
}

const coveredTurn = (d: DocumentSnapshot): CoveredTurn => ({
  message: String(d.get('message') ?? ''),
  response: String(d.get('response') ?? ''),
});

type Attempt = { summary: string } | { rejected: { reason: string; dropped: PinnedFact[]; missing: string[] } };

async function summarise(deps: SummaryDeps, aiUuid: string, job: SummaryJobDoc, base: Base): Promise<Attempt> {
  const req = { aiUuid, model: job.model, previous: base.previous, turns: base.turns.map(coveredTurn) };
  const signal = () => AbortSignal.timeout(deps.timeoutMs);
  // The turns were stored redacted; a model could still make up something that looks like a secret.
  const summary = redactSecrets((await writeSummary(deps.chat, req, signal())).trim()).text;
  const none = { dropped: [], missing: [] };
  if (summary === '') return { rejected: { reason: 'empty', ...none } };
  if (summary.length > SUMMARY_CHARS) return { rejected: { reason: 'too_long', ...none } };
  const dropped = checkSummary({ previous: base.previous, turns: req.turns, summary });
  if (dropped.length > 0)
    return { rejected: { reason: 'dropped_facts', dropped: dropped.slice(0, REPORTED), missing: [] } };
  const verdict = await checkWithModel(deps.chat, { ...req, summary }, signal());
  if (!verdict.keeps_all_facts || verdict.missing.length > 0) {
    const missing = verdict.missing.map((m) => m.slice(0, 200)).slice(0, REPORTED);
    return { rejected: { reason: 'model_check_failed', dropped: [], missing } };
  }
  return { summary };
}

interface Outcome {
  ctx: MutationContext;
  aiUuid: string;
  jobId: string;
  jobRef: DocumentReference;
  attempt: number;
  sessionId: string;
}

/** Throws NotOurs unless the job is still this attempt's: a job records one outcome per attempt. */
function assertOurs(snap: DocumentSnapshot | undefined, attempt: number): SummaryJobDoc {
  const job = snap?.data() as SummaryJobDoc | undefined;
  if (job?.status !== 'running' || job.attempts !== attempt) throw new NotOurs();
  return job;
}

async function write(o: Outcome, base: Base, summary: string): Promise<'done'> {
  const first = base.turns[0] as DocumentSnapshot;
  const last = base.turns.at(-1) as DocumentSnapshot;
  const covers: SummaryCovers = {
    first_turn: base.covers?.firstTurn ?? first.id,
    last_turn: last.id,
    turns: (base.covers?.turns ?? 0) + base.turns.length,
  };
  return runChange(o.ctx, o.aiUuid, [base.sessionRef, o.jobRef, base.memoryRef], (scope) => {
    const [session, jobSnap, memorySnap] = scope.docs;
    assertOurs(jobSnap, o.attempt);
    if (!session?.exists) throw new ApiError('not_found', 'chat session');
    const nowCovers = coversOf(session.data());
    if ((nowCovers?.lastTurn ?? null) !== (base.covers?.lastTurn ?? null)) throw new BaseChanged();
    const at = Timestamp.fromDate(scope.now);
    const metadata = { kind: 'session_summary', session_id: o.sessionId, covers };
    const info: SummaryEventInfo = { job_id: o.jobId, session_id: o.sessionId, covers };
    const before = memorySnap?.data();
    let memory: Memory;
    if (before) {
      const changes = { content: summary, metadata, updatedAt: at, updatedBy: scope.actor, updatedVia: o.ctx.via };
      memory = toMemory(base.memoryRef.id, 'working_memory', { ...before, ...changes });
      scope.tx.update(base.memoryRef, {
        ...changes,
        embedding: FieldValue.delete(),
        embeddingModel: FieldValue.delete(),
      });
      const eventId = scope.event({
        type: 'updated',
        memoryId: base.memoryRef.id,
        tier: 'working_memory',
        memory,
        summary: info,
      });
      saveVersion(scope.tx, o.ctx.db, o.aiUuid, toMemory(base.memoryRef.id, 'working_memory', before), {
        kind: 'updated',
        eventId,
        at: scope.now,
        actor: scope.actor,
      });
    } else {
      const doc = newMemoryDoc(summary, metadata, scope.actor, o.ctx.via, at);
      memory = toMemory(base.memoryRef.id, 'working_memory', doc);
      scope.tx.create(base.memoryRef, doc);
      scope.event({ type: 'created', memoryId: base.memoryRef.id, tier: 'working_memory', memory, summary: info });
    }
    scope.tx.update(base.sessionRef, {
      summaryMemoryId: base.memoryRef.id,
      summaryCovers: {
        firstTurn: covers.first_turn,
        lastTurn: covers.last_turn,
        lastTurnAt: last.get('timestamp') as Timestamp,
        turns: covers.turns,
      } satisfies CoversDoc,
      'summaryCounts.written': FieldValue.increment(1),
    });
    scope.tx.update(o.jobRef, finished(at, { status: 'done', memoryId: base.memoryRef.id }));
    return 'done' as const;
  });
}

const finished = (at: Timestamp, fields: Partial<SummaryJobDoc>) => ({
  ...fields,
  claimedUntil: null,
  updatedAt: at,
  finishedAt: at,
});

async function reject(o: Outcome, r: { reason: string; dropped: PinnedFact[]; missing: string[] }): Promise<void> {
  await runChange(o.ctx, o.aiUuid, [sessionsRef(o.ctx.db, o.aiUuid).doc(o.sessionId), o.jobRef], (scope) => {
    const [session, jobSnap] = scope.docs;
    assertOurs(jobSnap, o.attempt);
    const at = Timestamp.fromDate(scope.now);
    if (session?.exists) {
      scope.tx.update(session.ref, {
        'summaryCounts.rejected': FieldValue.increment(1),
        // The facts apart from the rest: they are sealed at rest as one JSON value, which would
        // turn the time into a plain object (packages/core/src/crypto/fields.ts).
        summaryRejection: { jobId: o.jobId, reason: r.reason, at },
        summaryRejectionFacts: { dropped: r.dropped, missing: r.missing },
      });
    }
    scope.tx.update(o.jobRef, finished(at, { status: 'rejected', ...r }));
    scope.event({
      type: 'summary_rejected',
      memoryId: null,
      tier: null,
      memory: null,
      summary: {
        job_id: o.jobId,
        session_id: o.sessionId,
        reason: r.reason,
        // Counts and kinds only: the facts themselves are the session's text, kept sealed in the
        // session's summaryRejection and the job (the log's other fields are not sealed).
        ...(r.dropped.length > 0 ? { dropped_kinds: r.dropped.map((f) => f.kind) } : {}),
        ...(r.missing.length > 0 ? { missing_count: r.missing.length } : {}),
      },
    });
  });
}

async function fail(o: Outcome, code: string): Promise<void> {
  await runChange(o.ctx, o.aiUuid, [sessionsRef(o.ctx.db, o.aiUuid).doc(o.sessionId), o.jobRef], (scope) => {
    const [session, jobSnap] = scope.docs;
    assertOurs(jobSnap, o.attempt);
    const at = Timestamp.fromDate(scope.now);
    if (session?.exists) scope.tx.update(session.ref, { 'summaryCounts.failed': FieldValue.increment(1) });
    scope.tx.update(o.jobRef, finished(at, { status: 'failed', reason: code }));
    scope.event({
      type: 'summary_failed',
      memoryId: null,
      tier: null,
      memory: null,
      summary: { job_id: o.jobId, session_id: o.sessionId, reason: code },
    });
  });
}

/**
 * Nothing to add: a summary already covers the job's turn (or the session is gone). No event: no
 * memory changed. A job that wrote before and was set back to `queued` stays `done`.
 */
async function skip(o: Outcome, job: SummaryJobDoc): Promise<'done' | 'skipped'> {
  const status = job.memoryId ? 'done' : 'skipped';
  await o.ctx.db.runTransaction(async (tx) => {
    assertOurs(await tx.get(o.jobRef), o.attempt);
    tx.update(o.jobRef, finished(Timestamp.fromDate(o.ctx.clock.now()), { status }));
  });
  return status;
}
