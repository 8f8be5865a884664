/**
 * @module extraction/undo — taking back one decision, as ordinary audited changes by the caller:
 *
 * - `added`: the memory is deleted.
 * - `superseded`: the new memory is deleted and the old one comes back from the archive to the
 *   tier it was in, without `superseded_by` (a version of each state is kept).
 * - `duplicate`, `rejected`: the candidate is stored as a new memory after all (never for a secret
 *   or rejected personal data, whose text was never kept).
 *
 * The decision is then marked `undone` in its job; undoing it again is a 409.
 */
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import type { ExtractionDecision, MemoryType } from '@memory-weaver/protocol';
import { ApiError, memoryRef, notFound, openSnapshots } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { runChange } from '../memory/change.js';
import { deleteMemory } from '../memory/deleteMemory.js';
import { newMemoryDoc, toMemory } from '../memory/record.js';
import { saveVersion } from '../memory/versions.js';
import { extractionsRef, type JobDoc } from './jobs.js';

export async function undoDecision(
  ctx: MutationContext,
  aiUuid: string,
  jobId: string,
  index: number,
): Promise<ExtractionDecision> {
  const jobRef = extractionsRef(ctx.db, aiUuid).doc(jobId);
  const [snap] = await openSnapshots(ctx.db, aiUuid, [await jobRef.get()]);
  const job = snap?.data() as JobDoc | undefined;
  if (!job) throw notFound('extraction');
  const applied = job.applied[String(index)];
  const candidate = job.candidates?.find((c) => c.index === index);
  if (!applied || !candidate) throw notFound('decision');
  if (applied.undone) throw new ApiError('conflict', 'this decision was already undone');
  const tier = job.settings.target_tier;
  const target = { aiUuid, aiName: '' };
  let memoryId: string | undefined = applied.memoryId;
  switch (applied.decision) {
    case 'added':
      if (applied.memoryId) await deleteIfThere(ctx, target, tier, applied.memoryId);
      break;
    case 'superseded':
      if (applied.memoryId) await deleteIfThere(ctx, target, tier, applied.memoryId);
      if (applied.targetId) await bringBack(ctx, aiUuid, tier, applied.targetId);
      memoryId = applied.targetId;
      break;
    case 'duplicate':
    case 'rejected':
      if (!candidate.content) {
        throw new ApiError('conflict', 'this candidate held a secret or refused personal data: it was never kept');
      }
      memoryId = await storeCandidate(ctx, aiUuid, tier, { jobId, index }, candidate.content, job);
      break;
    case 'queued':
      throw new ApiError('conflict', 'a candidate waiting for review is approved or rejected, not undone');
  }
  await jobRef.update({ [`applied.${String(index)}.undone`]: true, updatedAt: FieldValue.serverTimestamp() });
  return {
    index,
    decision: applied.decision,
    content: candidate.content,
    ...(memoryId ? { memory_id: memoryId } : {}),
    undone: true,
  };
}

async function deleteIfThere(
  ctx: MutationContext,
  target: { aiUuid: string; aiName: string },
  tier: MemoryType,
  id: string,
): Promise<void> {
  try {
    await deleteMemory(ctx, target, tier, id);
  } catch (err) {
    // Already gone (deleted by hand, or by an undo that stopped half-way): nothing to take back.
    if (!(err instanceof ApiError && err.code === 'not_found')) throw err;
  }
}

/** The superseded memory back from the archive into `tier`, no longer marked superseded. */
async function bringBack(ctx: MutationContext, aiUuid: string, tier: MemoryType, id: string): Promise<void> {
  const from = memoryRef(ctx.db, aiUuid, 'archive', id);
  const to = memoryRef(ctx.db, aiUuid, tier, id);
  const there = await from.get();
  if (!there.exists) return;
  await runChange(ctx, aiUuid, [from, to], ({ tx, docs, now, actor, event }) => {
    const data = docs[0]?.data();
    if (!data) throw notFound('memory');
    if (docs[1]?.exists) throw new ApiError('conflict', `a memory with this id already exists in ${tier}`);
    const at = Timestamp.fromDate(now);
    const { supersededBy: _replacedBy, ...rest } = data;
    const back = { ...rest, movedFrom: 'archive', movedAt: at, updatedAt: at, updatedBy: actor, updatedVia: ctx.via };
    tx.create(to, back);
    tx.delete(from);
    const eventId = event({
      type: 'moved',
      memoryId: id,
      tier,
      fromTier: 'archive',
      toTier: tier,
      memory: toMemory(id, tier, back),
    });
    saveVersion(tx, ctx.db, aiUuid, toMemory(id, 'archive', data), { kind: 'moved', eventId, at: now, actor });
  });
}

/** The candidate as a memory of its own; its id is fixed by the decision, so an undo retried stores it once. */
async function storeCandidate(
  ctx: MutationContext,
  aiUuid: string,
  tier: MemoryType,
  decision: { jobId: string; index: number },
  content: string,
  job: JobDoc,
): Promise<string> {
  const id = `${decision.jobId}-${String(decision.index)}-kept`;
  const ref = memoryRef(ctx.db, aiUuid, tier, id);
  if ((await ref.get()).exists) return id;
  await runChange(ctx, aiUuid, [ref], ({ tx, now, actor, event }) => {
    const doc = {
      ...newMemoryDoc(content, { kind: 'extracted_fact' }, actor, ctx.via, Timestamp.fromDate(now)),
      origin: { kind: 'extraction' as const, job_id: decision.jobId, session_id: job.sessionId, turn_ids: job.turnIds },
    };
    // A create: if an undo racing this one stored it first, this one fails instead of writing twice.
    tx.create(ref, doc);
    event({ type: 'created', memoryId: id, tier, memory: toMemory(id, tier, doc) });
  });
  return id;
}
