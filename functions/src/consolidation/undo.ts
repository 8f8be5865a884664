/**
 * @module consolidation/undo — moves a run's moves back, each an ordinary audited move by the
 * caller (event `moved`, a version kept). The run's moves are found by the mark each move wrote on
 * the memory (`consolidation.runId`), so an undo stopped half-way and asked again restores the rest
 * and nothing twice. A memory changed since the run moved it keeps that change where it is (skipped).
 */
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import type { ConsolidationUndo } from '@memory-weaver/protocol';
import { iso, memoryRef, notFound, tierRef } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { runChange } from '../memory/change.js';
import { toMemory } from '../memory/record.js';
import { saveVersion } from '../memory/versions.js';
import type { ConsolidationMark } from './execute.js';
import { runsRef } from './runs.js';

class Skip extends Error {}

export async function undoRun(ctx: MutationContext, aiUuid: string, runId: string): Promise<ConsolidationUndo> {
  const runRef = runsRef(ctx.db, aiUuid).doc(runId);
  if (!(await runRef.get()).exists) throw notFound('consolidation run');
  const moved = await tierRef(ctx.db, aiUuid, 'archive').where('consolidation.runId', '==', runId).get();
  const restored: string[] = [];
  const skipped: ConsolidationUndo['skipped'] = [];
  const results = await Promise.allSettled(
    moved.docs.map((d) => {
      const source = memoryRef(ctx.db, aiUuid, 'archive', d.id);
      const destination = memoryRef(ctx.db, aiUuid, 'working_memory', d.id);
      return runChange(ctx, aiUuid, [source, destination], ({ tx, docs, now, actor, event }) => {
        const data = docs[0]?.data();
        const mark = data?.consolidation as ConsolidationMark | undefined;
        if (!data || mark?.runId !== runId) throw new Skip('gone');
        if (iso(data.updatedAt) !== iso(mark.movedAt)) throw new Skip('changed_since_move');
        if (docs[1]?.exists) throw new Skip('id_taken_in_working_memory');
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
          tier: 'working_memory',
          fromTier: 'archive',
          toTier: 'working_memory',
          memory: toMemory(d.id, 'working_memory', back),
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
  const answer: ConsolidationUndo = { run_id: runId, restored, skipped };
  await ctx.db.runTransaction(async (tx) => {
    const run = await tx.get(runRef);
    tx.update(runRef, {
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
