/**
 * @module consolidation/undo — moves a run's moves back (its planned moves and the proposals
 * accepted from it), each an ordinary audited move by the caller (event `moved`, a version kept),
 * to the tier it came from. The run's moves are found by the mark each move wrote on the memory
 * (`consolidation.runId`), so an undo stopped half-way and asked again restores the rest and
 * nothing twice. A memory changed since the run moved it keeps that change where it is (skipped).
 *
 * The run's reflection is deleted (an undone run leaves no thought behind), through the ordinary
 * delete, unless it was edited since it was written: then it stays, as any edit does.
 */
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import type { ConsolidationUndo, MemoryType } from '@memory-weaver/protocol';
import { iso, memoryRef, notFound, tierRef } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { runChange } from '../memory/change.js';
import { deleteMemory } from '../memory/deleteMemory.js';
import { toMemory } from '../memory/record.js';
import { saveVersion } from '../memory/versions.js';
import type { ConsolidationMark } from './move.js';
import { reflectionId } from './reflect.js';
import { runsRef, type RunDoc } from './runs.js';

class Skip extends Error {}

export async function undoRun(ctx: MutationContext, aiUuid: string, runId: string): Promise<ConsolidationUndo> {
  const runRef = runsRef(ctx.db, aiUuid).doc(runId);
  const runDoc = (await runRef.get()).data() as RunDoc | undefined;
  if (!runDoc) throw notFound('consolidation run');
  const moved = await tierRef(ctx.db, aiUuid, 'archive').where('consolidation.runId', '==', runId).get();
  const restored: string[] = [];
  const skipped: ConsolidationUndo['skipped'] = [];
  const results = await Promise.allSettled(
    moved.docs.map((d) => {
      const source = memoryRef(ctx.db, aiUuid, 'archive', d.id);
      // Back where the run took it from: working memory for a planned move, long-term for an accepted proposal.
      const home = (d.get('movedFrom') as MemoryType | null | undefined) ?? 'working_memory';
      const destination = memoryRef(ctx.db, aiUuid, home, d.id);
      return runChange(ctx, aiUuid, [source, destination], ({ tx, docs, now, actor, event }) => {
        const data = docs[0]?.data();
        const mark = data?.consolidation as ConsolidationMark | undefined;
        if (!data || mark?.runId !== runId) throw new Skip('gone');
        if (iso(data.updatedAt) !== iso(mark.movedAt)) throw new Skip('changed_since_move');
        if (docs[1]?.exists) throw new Skip(`id_taken_in_${home}`);
        const at = Timestamp.fromDate(now);
        const { consolidation: _mark, ...rest } = data;
        const back = {
          ...rest,
          movedFrom: 'archive',
          movedAt: at,
          updatedAt: at,
          updatedBy: actor,
          updatedVia: ctx.via,
        };
        tx.create(destination, back);
        tx.delete(source);
        const eventId = event({
          type: 'moved',
          memoryId: d.id,
          tier: home,
          fromTier: 'archive',
          toTier: home,
          memory: toMemory(d.id, home, back),
        });
        saveVersion(tx, ctx.db, aiUuid, toMemory(d.id, 'archive', data), { kind: 'moved', eventId, at: now, actor });
      });
    }),
  );
  for (const [i, r] of results.entries()) {
    const id = moved.docs[i]?.id as string;
    if (r.status === 'fulfilled') restored.push(id);
    else if (r.reason instanceof Skip) skipped.push({ memory_id: id, reason: r.reason.message });
    else throw r.reason;
  }
  const reflectionDeleted = await deleteReflection(ctx, aiUuid, runId, runDoc);
  const answer: ConsolidationUndo = { run_id: runId, restored, skipped, reflection_deleted: reflectionDeleted };
  await ctx.db.runTransaction(async (tx) => {
    const run = await tx.get(runRef);
    tx.update(runRef, {
      ...(reflectionDeleted ? { 'reflection.status': 'undone' } : {}),
      undone: FieldValue.increment(restored.length),
      ...(run.get('status') === 'done' || run.get('status') === 'stopped' || run.get('status') === 'partial'
        ? { status: 'undone' }
        : {}),
      updatedAt: Timestamp.fromDate(ctx.clock.now()),
    });
    ctx.record(tx, answer);
  });
  return answer;
}

/** Deletes the run's reflection unless it was edited since it was written; answers its id when deleted. */
async function deleteReflection(
  ctx: MutationContext,
  aiUuid: string,
  runId: string,
  run: RunDoc,
): Promise<string | null> {
  if (run.reflection?.status !== 'written') return null;
  const id = reflectionId(runId);
  const doc = (await memoryRef(ctx.db, aiUuid, 'personal_logs', id).get()).data();
  if (!doc || iso(doc.updatedAt) !== iso(doc.createdAt)) return null;
  try {
    await deleteMemory(ctx, { aiUuid, aiName: '' }, 'personal_logs', id);
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'not_found' && !err.message.includes('AI')) return null;
    throw err;
  }
  return id;
}
