/**
 * @module extraction/review — review mode: a candidate waits at `ai_registry/{ai}/review/{id}`
 * instead of being written, with its source turns and the decision proposed. Approving applies
 * that decision as the administrator (the memory's origin still names the extraction); rejecting
 * drops it. Each is one call and leaves an event.
 */
import { Timestamp, type DocumentData, type Firestore } from 'firebase-admin/firestore';
import type { MemoryType, ReviewItem, ReviewOutcome } from '@memory-weaver/protocol';
import { aiRef, iso, memoryRef, notFound, openSnapshots } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { runChange } from '../memory/change.js';
import { newMemoryDoc, toMemory } from '../memory/record.js';
import { AlreadyApplied, finishSupersede, type DecisionScope } from './apply.js';
import { extractionsRef, type Applied, type JobDoc } from './jobs.js';

export const reviewRef = (db: Firestore, aiUuid: string) => aiRef(db, aiUuid).collection('review');

interface ReviewDoc {
  jobId: string;
  index: number;
  content: string;
  targetId: string | null;
  targetContent: string | null;
  tier: MemoryType;
  sessionId: string | null;
  turnIds: string[];
  sourceText: string;
  createdAt: Timestamp;
}

export async function queueForReview(s: DecisionScope, content: string, targetId: string | null): Promise<void> {
  const ref = reviewRef(s.ctx.db, s.aiUuid).doc(`${s.jobId}-${String(s.index)}`);
  const target = targetId ? memoryRef(s.ctx.db, s.aiUuid, s.tier, targetId) : null;
  try {
    await runChange(s.ctx, s.aiUuid, [s.jobRef, ...(target ? [target] : [])], (scope) => {
      const applied = scope.docs[0]?.get('applied') as Record<string, Applied> | undefined;
      if (applied?.[String(s.index)]) throw new AlreadyApplied();
      const targetContent = (scope.docs[1]?.get('content') as string | undefined) ?? null;
      const doc: ReviewDoc = {
        jobId: s.jobId,
        index: s.index,
        content,
        targetId: targetContent === null ? null : targetId,
        targetContent,
        tier: s.tier,
        sessionId: s.job.sessionId,
        turnIds: s.job.turnIds,
        sourceText: s.job.messages
          .filter((m) => m.role === 'user')
          .map((m) => m.content)
          .join('\n')
          .slice(0, 2_000),
        createdAt: Timestamp.fromDate(scope.now),
      };
      scope.tx.create(ref, doc);
      scope.event({
        type: 'candidate_queued',
        memoryId: null,
        tier: null,
        memory: null,
        extraction: { extraction_id: s.jobId, decision: 'queued', candidate: content },
      });
      scope.tx.update(s.jobRef, { [`applied.${String(s.index)}`]: { decision: 'queued' } satisfies Applied });
    });
  } catch (err) {
    if (!(err instanceof AlreadyApplied)) throw err;
  }
}

const toItem = (id: string, d: DocumentData): ReviewItem => {
  const r = d as ReviewDoc;
  return {
    review_id: id,
    extraction_id: r.jobId,
    content: r.content,
    proposed: r.targetId ? 'supersede' : 'add',
    target_id: r.targetId,
    target_content: r.targetContent,
    target_tier: r.tier,
    session_id: r.sessionId,
    turn_ids: r.turnIds,
    source_text: r.sourceText,
    created_at: iso(r.createdAt),
  };
};

export async function listReview(db: Firestore, aiUuid: string): Promise<ReviewItem[]> {
  const docs = await openSnapshots(
    db,
    aiUuid,
    (await reviewRef(db, aiUuid).orderBy('createdAt', 'desc').limit(100).get()).docs,
  );
  return docs.map((d) => toItem(d.id, d.data()));
}

export async function countReview(db: Firestore, aiUuid: string): Promise<number> {
  return (await reviewRef(db, aiUuid).count().get()).data().count;
}

/** Approve: the proposed decision, applied now by the caller (an administrator or the AI's key). */
export async function approveReview(ctx: MutationContext, aiUuid: string, reviewId: string): Promise<ReviewOutcome> {
  const ref = reviewRef(ctx.db, aiUuid).doc(reviewId);
  const [snap] = await openSnapshots(ctx.db, aiUuid, [await ref.get()]);
  const item = snap?.data() as ReviewDoc | undefined;
  if (!item) throw notFound('review item');
  const jobRef = extractionsRef(ctx.db, aiUuid).doc(item.jobId);
  const memory = memoryRef(ctx.db, aiUuid, item.tier, `${item.jobId}-${String(item.index)}`);
  const outcome = await runChange(ctx, aiUuid, [ref, jobRef, memory], (scope) => {
    if (!scope.docs[0]?.exists) throw notFound('review item');
    const job = scope.docs[1]?.data() as JobDoc | undefined;
    const at = Timestamp.fromDate(scope.now);
    const doc = {
      ...newMemoryDoc(item.content, { kind: 'extracted_fact' }, scope.actor, ctx.via, at),
      origin: { kind: 'extraction' as const, job_id: item.jobId, session_id: item.sessionId, turn_ids: item.turnIds },
    };
    scope.tx.create(memory, doc);
    scope.tx.delete(ref);
    const decision = item.targetId ? 'superseded' : 'added';
    const eventId = scope.event({
      type: 'created',
      memoryId: memory.id,
      tier: item.tier,
      memory: toMemory(memory.id, item.tier, doc),
      extraction: {
        extraction_id: item.jobId,
        decision,
        ...(item.targetId ? { superseded: item.targetId } : {}),
      },
    });
    if (job) {
      const applied: Applied = item.targetId
        ? { decision: 'superseded', memoryId: memory.id, targetId: item.targetId, pendingMove: true }
        : { decision: 'added', memoryId: memory.id };
      scope.tx.update(jobRef, { [`applied.${String(item.index)}`]: applied });
    }
    const result: ReviewOutcome = { review_id: reviewId, outcome: 'approved', memory_id: memory.id, event_id: eventId };
    ctx.record(scope.tx, result);
    return result;
  });
  const job = (await jobRef.get()).data() as JobDoc | undefined;
  if (item.targetId && job) {
    await finishSupersede(
      { ctx, aiUuid, jobId: item.jobId, jobRef, job, index: item.index, tier: item.tier },
      item.targetId,
      memory.id,
    );
  }
  return outcome;
}

export async function rejectReview(ctx: MutationContext, aiUuid: string, reviewId: string): Promise<ReviewOutcome> {
  const ref = reviewRef(ctx.db, aiUuid).doc(reviewId);
  return runChange(ctx, aiUuid, [ref], (scope) => {
    const item = scope.docs[0]?.data() as ReviewDoc | undefined;
    if (!item) throw notFound('review item');
    const jobRef = extractionsRef(ctx.db, aiUuid).doc(item.jobId);
    scope.tx.delete(ref);
    const eventId = scope.event({
      type: 'candidate_rejected',
      memoryId: null,
      tier: null,
      memory: null,
      extraction: { extraction_id: item.jobId, decision: 'rejected', reason: 'review', candidate: item.content },
    });
    scope.tx.set(
      jobRef,
      { applied: { [String(item.index)]: { decision: 'rejected', reason: 'review' } satisfies Applied } },
      { merge: true },
    );
    const result: ReviewOutcome = { review_id: reviewId, outcome: 'rejected', memory_id: null, event_id: eventId };
    ctx.record(scope.tx, result);
    return result;
  });
}
