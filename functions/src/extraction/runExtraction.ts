/**
 * @module extraction/runExtraction — one attempt at one extraction job, start to finish:
 *
 *   claim the job (an `extraction_started` event) ─▶ propose facts (the model, off any lock)
 *   ─▶ gate each ─▶ checkpoint the candidates in the job ─▶ take the AI's lease ─▶ for each
 *   candidate not yet applied: reject, or plan (neighbours, model) and apply ─▶ release
 *   ─▶ `extraction_finished` with the counts
 *
 * Any model failure ends the attempt with `extraction_failed` and the reason; what was applied
 * stays applied and recorded, so a retry continues and doubles nothing. An AI deleted meanwhile
 * ends it quietly: its changes are refused (not found), and there is nobody left to tell.
 */
import { Timestamp, type DocumentReference } from 'firebase-admin/firestore';
import type { ExtractionEventInfo } from '@memory-weaver/protocol';
import { ApiError, type Clock } from '@memory-weaver/core';
import { type MutationContext, serviceContext } from '../context.js';
import type { ChatModel } from '../llm/base.js';
import { sealedTransaction } from '../crypto/sealedWrite.js';
import { runChange } from '../memory/change.js';
import type { SearchDeps } from '../search/searchMemories.js';
import {
  AlreadyApplied,
  applyAdd,
  applyDuplicate,
  applyReject,
  finishSupersede,
  TargetGone,
  type DecisionScope,
} from './apply.js';
import { planCandidate } from './decide.js';
import { gateCandidate } from './gate.js';
import { countsOf, extractionsRef, type Candidate, type JobDoc } from './jobs.js';
import { releaseLease, takeLease } from './lease.js';
import { ExtractionModelError, proposeFacts } from './model.js';
import { queueForReview } from './review.js';

export interface ExtractionDeps extends SearchDeps {
  db: MutationContext['db'];
  clock: Clock;
  /** The configured model; extraction never runs without one. */
  chat: ChatModel;
  /** How long one model call may take. */
  timeoutMs: number;
}

/** How long an attempt owns its job before another may take over (a crashed worker's job is retried after it). */
const CLAIM_MS = 120_000;
/** Reasons whose candidate text may appear in events and the job: not secrets, not refused personal data. */
const SHOWABLE = (reason: string) => reason !== 'secret' && reason !== 'personal_data';

export type AttemptOutcome = 'done' | 'failed' | 'skipped' | 'busy';

export async function runExtraction(deps: ExtractionDeps, aiUuid: string, jobId: string): Promise<AttemptOutcome> {
  const jobRef = extractionsRef(deps.db, aiUuid).doc(jobId);
  const ctx = serviceContext(deps, { service: 'extraction', id: jobId, aiUuid });
  let job: JobDoc;
  try {
    const claimed = await claim(ctx, aiUuid, jobRef, jobId);
    if (!claimed) return 'busy';
    job = claimed;
  } catch (err) {
    if (isGone(err)) return 'skipped';
    throw err;
  }
  const fail = (code: string, message: string) => finish(ctx, aiUuid, jobRef, jobId, { code, message });
  try {
    const candidates = job.candidates ?? (await checkpoint(deps, aiUuid, jobRef, job));
    job.candidates = candidates;
    if (!(await takeLease(deps.db, aiUuid, jobId, () => deps.clock.now()))) {
      await fail('busy', 'another extraction of this AI held the lease too long: retry');
      return 'failed';
    }
    try {
      await decideAll(deps, ctx, { aiUuid, jobId, jobRef, job });
    } finally {
      await releaseLease(deps.db, aiUuid, jobId);
    }
    await finish(ctx, aiUuid, jobRef, jobId, null);
    return 'done';
  } catch (err) {
    if (isGone(err)) return 'skipped';
    if (err instanceof ExtractionModelError) {
      await fail(err.code, err.message);
      return 'failed';
    }
    await fail('internal', 'extraction failed unexpectedly: retry');
    throw err;
  }
}

const isGone = (err: unknown) => err instanceof ApiError && err.code === 'not_found';

/** Takes the job for this attempt, with its `extraction_started` event; null when it isn't ours to run. */
async function claim(
  ctx: MutationContext,
  aiUuid: string,
  jobRef: DocumentReference,
  jobId: string,
): Promise<JobDoc | null> {
  try {
    return await runChange(ctx, aiUuid, [jobRef], (scope) => {
      const job = scope.docs[0]?.data() as JobDoc | undefined;
      const stale = job?.status === 'running' && (job.claimedUntil?.toDate() ?? scope.now) <= scope.now;
      if (!job || (job.status !== 'queued' && job.status !== 'failed' && !stale)) throw new AlreadyApplied();
      const at = Timestamp.fromDate(scope.now);
      const attempts = job.attempts + 1;
      scope.tx.update(jobRef, {
        status: 'running',
        attempts,
        claimedUntil: Timestamp.fromMillis(scope.now.getTime() + CLAIM_MS),
        updatedAt: at,
        error: null,
      });
      scope.event({
        type: 'extraction_started',
        memoryId: null,
        tier: null,
        memory: null,
        extraction: { extraction_id: jobId },
      });
      return { ...job, status: 'running', attempts } satisfies JobDoc;
    });
  } catch (err) {
    if (err instanceof AlreadyApplied) return null;
    throw err;
  }
}

/** Asks the model for facts, gates them, and stores the result in the job: later attempts reuse it. */
async function checkpoint(
  deps: ExtractionDeps,
  aiUuid: string,
  jobRef: DocumentReference,
  job: JobDoc,
): Promise<Candidate[]> {
  const facts = await proposeFacts(
    deps.chat,
    { aiUuid, model: job.model, messages: job.messages, instructions: job.settings.instructions },
    AbortSignal.timeout(deps.timeoutMs),
  );
  const candidates: Candidate[] = facts.map((f, index) => {
    const verdict = gateCandidate({
      content: f.content,
      injected: job.injected,
      personalData: job.settings.personal_data,
    });
    return verdict.ok
      ? { index, content: verdict.content, subject: f.subject, rejected: null }
      : {
          index,
          content: SHOWABLE(verdict.reason) ? f.content.slice(0, 500) : '',
          subject: f.subject,
          rejected: verdict.reason,
        };
  });
  // The candidates are a sealed field of the job (packages/core/src/crypto/fields.ts).
  await sealedTransaction(deps.db, aiUuid, (tx) =>
    tx.update(jobRef, { candidates, updatedAt: Timestamp.fromDate(deps.clock.now()) }),
  );
  return candidates;
}

async function decideAll(
  deps: ExtractionDeps,
  ctx: MutationContext,
  j: { aiUuid: string; jobId: string; jobRef: DocumentReference; job: JobDoc },
): Promise<void> {
  const tier = j.job.settings.target_tier;
  for (const c of j.job.candidates ?? []) {
    const s: DecisionScope = {
      ctx,
      aiUuid: j.aiUuid,
      jobId: j.jobId,
      jobRef: j.jobRef,
      job: j.job,
      index: c.index,
      tier,
    };
    const done = j.job.applied[String(c.index)];
    if (done?.pendingMove && done.targetId && done.memoryId) {
      await finishSupersede(s, done.targetId, done.memoryId);
      continue;
    }
    if (done) continue;
    if (c.rejected) {
      await applyReject(s, c.rejected, c.content || null);
      continue;
    }
    const plan = await planCandidate(
      { ...deps, chat: deps.chat },
      { aiUuid: j.aiUuid, model: j.job.model, tier, index: c.index, content: c.content, subject: c.subject },
      AbortSignal.timeout(deps.timeoutMs),
    );
    if (j.job.settings.review && plan.action !== 'duplicate') {
      await queueForReview(s, c.content, plan.action === 'supersede' ? plan.targetId : null);
      continue;
    }
    try {
      if (plan.action === 'duplicate') await applyDuplicate(s, plan.targetId);
      else await applyAdd(s, c.content, plan.action === 'supersede' ? plan.targetId : undefined);
    } catch (err) {
      // The neighbour went away between the plan and the commit: the fact is simply new.
      if (!(err instanceof TargetGone)) throw err;
      await applyAdd(s, c.content);
    }
  }
}

/** Ends the attempt: `extraction_finished` with the counts, or `extraction_failed` with the reason. */
async function finish(
  ctx: MutationContext,
  aiUuid: string,
  jobRef: DocumentReference,
  jobId: string,
  error: { code: string; message: string } | null,
): Promise<void> {
  await runChange(ctx, aiUuid, [jobRef], (scope) => {
    const job = scope.docs[0]?.data() as JobDoc | undefined;
    const counts = countsOf(job?.applied ?? {});
    const at = Timestamp.fromDate(scope.now);
    scope.tx.update(jobRef, {
      status: error ? 'failed' : 'done',
      error,
      claimedUntil: null,
      updatedAt: at,
      finishedAt: at,
    });
    const extraction: ExtractionEventInfo = error
      ? { extraction_id: jobId, reason: error.code }
      : { extraction_id: jobId, counts: { ...counts } };
    scope.event({
      type: error ? 'extraction_failed' : 'extraction_finished',
      memoryId: null,
      tier: null,
      memory: null,
      extraction,
    });
  });
}
