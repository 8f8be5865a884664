/**
 * @module consolidation/move — one move made by consolidation (a planned move, or an accepted
 * proposal): an ordinary audited move of the memory through runChange (event `moved` carrying the
 * memory), with a `consolidation` mark written on the memory in the same commit. The mark is what
 * makes runs resumable and undoable: it names the run, the reason, and what the move replaced.
 *
 * Cheap on purpose (bench/consolidation.ts): the commit reads the source alone and writes three
 * documents (the destination, the source's delete, the event).
 *  - No version is saved: a version keeps a state to restore, and a move changes no content or
 *    metadata; the fields it does change are kept in the mark's `before`, and the event holds the
 *    memory. Undo (undo.ts) moves the memory back from the mark.
 *  - The destination is not read in the commit. A source already gone is looked up there after
 *    the commit (a resumed run finds its own earlier move by the mark); a destination already
 *    taken makes the create fail (ALREADY_EXISTS), which runChange reports to this move alone.
 */
import { Timestamp } from 'firebase-admin/firestore';
import type { Actor, MemoryType } from '@memory-weaver/protocol';
import { GRPC, grpcCode, iso, memoryRef } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { runChange } from '../memory/change.js';
import { toMemory } from '../memory/record.js';
import type { Outcome } from './runs.js';

/** What a consolidation move writes on the memory. */
export interface ConsolidationMark {
  runId: string;
  reason: string;
  movedAt: Timestamp;
  /** The session summary linked to the moved entry, if any. */
  summaryId: string | null;
  /** The fields the move replaced (content and metadata are unchanged by a move). */
  before: {
    updatedAt: Timestamp;
    updatedBy: Actor | null;
    updatedVia: string | null;
    movedFrom: MemoryType | null;
    movedAt: Timestamp | null;
  };
}

export interface MarkedMove {
  memory_id: string;
  from_memory_type: MemoryType;
  to_memory_type: MemoryType;
  reason: string;
  planned_updated_at: string;
  summary_id?: string | null;
}

class Settled extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome.outcome);
  }
}
class Gone extends Error {}

export async function moveMarked(ctx: MutationContext, aiUuid: string, runId: string, a: MarkedMove): Promise<Outcome> {
  const source = memoryRef(ctx.db, aiUuid, a.from_memory_type, a.memory_id);
  const destination = memoryRef(ctx.db, aiUuid, a.to_memory_type, a.memory_id);
  const skipped = (reason: string): Outcome => ({ memory_id: a.memory_id, outcome: 'skipped', reason });
  try {
    return await runChange(ctx, aiUuid, [source], ({ tx, docs, now, actor, event }) => {
      const data = docs[0]?.data();
      if (!data) throw new Gone();
      if (iso(data.updatedAt) !== a.planned_updated_at) throw new Settled(skipped('changed_since_plan'));
      const at = Timestamp.fromDate(now);
      const mark: ConsolidationMark = {
        runId,
        reason: a.reason,
        movedAt: at,
        summaryId: a.summary_id ?? null,
        before: {
          updatedAt: data.updatedAt as Timestamp,
          updatedBy: (data.updatedBy as Actor | undefined) ?? null,
          updatedVia: (data.updatedVia as string | undefined) ?? null,
          movedFrom: (data.movedFrom as MemoryType | undefined) ?? null,
          movedAt: (data.movedAt as Timestamp | undefined) ?? null,
        },
      };
      const moved = {
        ...data,
        movedFrom: a.from_memory_type,
        movedAt: at,
        updatedAt: at,
        updatedBy: actor,
        updatedVia: ctx.via,
        consolidation: mark,
      };
      tx.create(destination, moved);
      tx.delete(source);
      event({
        type: 'moved',
        memoryId: a.memory_id,
        tier: a.to_memory_type,
        fromTier: a.from_memory_type,
        toTier: a.to_memory_type,
        memory: toMemory(a.memory_id, a.to_memory_type, moved),
      });
      return { memory_id: a.memory_id, outcome: 'moved' } satisfies Outcome;
    });
  } catch (err) {
    if (err instanceof Settled) return err.outcome;
    const taken = grpcCode(err) === GRPC.ALREADY_EXISTS;
    if (!(err instanceof Gone) && !taken) throw err;
    // Outside the commit, and only on these rare paths: is the memory where this run put it?
    const there = (await destination.get()).get('consolidation') as ConsolidationMark | undefined;
    if (there?.runId === runId) return { memory_id: a.memory_id, outcome: 'moved' };
    return skipped(taken ? 'id_taken_in_destination' : 'gone');
  }
}
