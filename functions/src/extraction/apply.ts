/**
 * @module extraction/apply — each decision as ordinary changes through memory/change.ts, so every
 * write extraction makes is numbered, streamed, versioned and undoable like anyone else's. Each
 * change also records the decision in its job (`applied.<index>`) in the same commit, and checks
 * first that it isn't recorded yet: a retried job skips what a previous attempt already did, and
 * a decision is never applied twice.
 *
 * A supersede is two changes (a change writes one event): the new memory is created, then the old
 * one moves to the archive with `superseded_by`. Between the two, `applied` says the move is
 * pending, and a retry does just the move.
 */
import { FieldValue, Timestamp, type DocumentReference } from 'firebase-admin/firestore';
import type { ExtractionEventInfo, MemoryOrigin, MemoryType } from '@memory-weaver/protocol';
import { memoryRef } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { runChange, type ChangeScope } from '../memory/change.js';
import { newMemoryDoc, toMemory } from '../memory/record.js';
import { saveVersion } from '../memory/versions.js';
import type { Applied, JobDoc } from './jobs.js';

/** Thrown inside a change to abandon it: the decision was already applied by an earlier attempt. */
export class AlreadyApplied extends Error {}
/** Thrown inside a change to abandon it: the memory a decision named is gone (deleted or moved meanwhile). */
export class TargetGone extends Error {}

export interface DecisionScope {
  ctx: MutationContext;
  aiUuid: string;
  jobId: string;
  jobRef: DocumentReference;
  job: JobDoc;
  index: number;
  tier: MemoryType;
}

const info = (s: DecisionScope, rest: Omit<ExtractionEventInfo, 'extraction_id'>): ExtractionEventInfo => ({
  extraction_id: s.jobId,
  ...rest,
});

/** The id an added candidate's memory gets: fixed by job and index, so a retry can't make a second one. */
export const extractedMemoryId = (jobId: string, index: number): string => `${jobId}-${String(index)}`;

const origin = (s: DecisionScope): MemoryOrigin => ({
  kind: 'extraction',
  job_id: s.jobId,
  session_id: s.job.sessionId,
  turn_ids: s.job.turnIds,
});

function notYetApplied(scope: ChangeScope, index: number): void {
  const applied = scope.docs[0]?.get('applied') as Record<string, Applied> | undefined;
  if (applied?.[String(index)]) throw new AlreadyApplied();
}

async function swallowAlreadyApplied(run: Promise<unknown>): Promise<void> {
  try {
    await run;
  } catch (err) {
    if (!(err instanceof AlreadyApplied)) throw err;
  }
}

export async function applyAdd(s: DecisionScope, content: string, supersedes?: string): Promise<void> {
  const ref = memoryRef(s.ctx.db, s.aiUuid, s.tier, extractedMemoryId(s.jobId, s.index));
  await swallowAlreadyApplied(
    runChange(s.ctx, s.aiUuid, [s.jobRef, ref], (scope) => {
      notYetApplied(scope, s.index);
      const at = Timestamp.fromDate(scope.now);
      const doc = {
        ...newMemoryDoc(content, { kind: 'extracted_fact' }, scope.actor, s.ctx.via, at),
        origin: origin(s),
      };
      // The same id from an earlier attempt whose job update was lost can't happen (one commit), so
      // an existing document here is someone else's: let the create fail loudly rather than overwrite.
      scope.tx.create(ref, doc);
      scope.event({
        type: 'created',
        memoryId: ref.id,
        tier: s.tier,
        memory: toMemory(ref.id, s.tier, doc),
        extraction: info(s, supersedes ? { decision: 'superseded', superseded: supersedes } : { decision: 'added' }),
      });
      const applied: Applied = supersedes
        ? { decision: 'superseded', memoryId: ref.id, targetId: supersedes, pendingMove: true }
        : { decision: 'added', memoryId: ref.id };
      scope.tx.update(s.jobRef, { [`applied.${String(s.index)}`]: applied, updatedAt: at });
    }),
  );
  if (supersedes) await finishSupersede(s, supersedes, ref.id);
}

/** The second half of a supersede: the old memory to the archive, linked to the new one. */
export async function finishSupersede(s: DecisionScope, oldId: string, newId: string): Promise<void> {
  const from = memoryRef(s.ctx.db, s.aiUuid, s.tier, oldId);
  const to = memoryRef(s.ctx.db, s.aiUuid, 'archive', oldId);
  const key = `applied.${String(s.index)}.pendingMove`;
  try {
    await runChange(s.ctx, s.aiUuid, [s.jobRef, from, to], (scope) => {
      const applied = (scope.docs[0]?.get('applied') as Record<string, Applied> | undefined)?.[String(s.index)];
      if (!applied?.pendingMove) throw new AlreadyApplied();
      const data = scope.docs[1]?.data();
      if (!data || scope.docs[2]?.exists) throw new TargetGone();
      const at = Timestamp.fromDate(scope.now);
      const moved = {
        ...data,
        supersededBy: newId,
        movedFrom: s.tier,
        movedAt: at,
        updatedAt: at,
        updatedBy: scope.actor,
        updatedVia: s.ctx.via,
      };
      scope.tx.create(to, moved);
      scope.tx.delete(from);
      const eventId = scope.event({
        type: 'moved',
        memoryId: oldId,
        tier: 'archive',
        fromTier: s.tier,
        toTier: 'archive',
        memory: toMemory(oldId, 'archive', moved),
        extraction: info(s, { decision: 'superseded', superseded: oldId }),
      });
      saveVersion(scope.tx, s.ctx.db, s.aiUuid, toMemory(oldId, s.tier, data), {
        kind: 'superseded',
        eventId,
        at: scope.now,
        actor: scope.actor,
      });
      scope.tx.update(s.jobRef, { [key]: false, updatedAt: at });
    });
  } catch (err) {
    if (err instanceof AlreadyApplied) return;
    if (!(err instanceof TargetGone)) throw err;
    // The old memory was deleted or moved by someone else meanwhile: nothing left to archive.
    await s.jobRef.update({ [key]: false });
  }
}

export async function applyDuplicate(s: DecisionScope, targetId: string): Promise<void> {
  const ref = memoryRef(s.ctx.db, s.aiUuid, s.tier, targetId);
  await swallowAlreadyApplied(
    runChange(s.ctx, s.aiUuid, [s.jobRef, ref], (scope) => {
      notYetApplied(scope, s.index);
      const data = scope.docs[1]?.data();
      if (!data) throw new TargetGone();
      const at = Timestamp.fromDate(scope.now);
      const count = ((data.confirmations as { count?: number } | undefined)?.count ?? 0) + 1;
      const confirmations = { count, lastAt: at, lastJobId: s.jobId };
      scope.tx.update(ref, { confirmations });
      scope.event({
        type: 'confirmed',
        memoryId: targetId,
        tier: s.tier,
        memory: toMemory(targetId, s.tier, { ...data, confirmations }),
        extraction: info(s, { decision: 'duplicate' }),
      });
      scope.tx.update(s.jobRef, {
        [`applied.${String(s.index)}`]: { decision: 'duplicate', targetId } satisfies Applied,
        updatedAt: at,
      });
    }),
  );
}

/**
 * A rejection, as an event and in the job. `candidate` is the text the event may show: never for a
 * secret or rejected personal data (the caller passes null then).
 */
export async function applyReject(s: DecisionScope, reason: string, candidate: string | null): Promise<void> {
  await swallowAlreadyApplied(
    runChange(s.ctx, s.aiUuid, [s.jobRef], (scope) => {
      notYetApplied(scope, s.index);
      scope.event({
        type: 'candidate_rejected',
        memoryId: null,
        tier: null,
        memory: null,
        extraction: info(s, { decision: 'rejected', reason, ...(candidate ? { candidate } : {}) }),
      });
      scope.tx.update(s.jobRef, {
        [`applied.${String(s.index)}`]: { decision: 'rejected', reason } satisfies Applied,
        updatedAt: FieldValue.serverTimestamp(),
      });
    }),
  );
}
