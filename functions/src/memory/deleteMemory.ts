/**
 * @module memory/deleteMemory — remove a memory, with its event, and forget it: in the same commit,
 * the events that carried its content are scrubbed, its versions deleted, and the Idempotency-Key
 * records that showed it emptied (functions/src/forget/README.md).
 *
 * The traces are found by queries before the commit (a change's reads are documents, not queries).
 * A change of the memory committed after they ran (an edit racing the delete) would add traces
 * they missed; the memory document's update time, read before the queries and again inside the
 * commit, tells. Then, or when the traces don't fit one commit, the commit also writes a forget
 * task, which this request finishes before it answers and the sweep finishes if it can't.
 */
import type { MemoryDeletion, MemoryType } from '@memory-weaver/protocol';
import { eventSeq, memoryRef, notFound } from '@memory-weaver/core';
import type { AiTarget } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { extractionsRef } from '../extraction/jobs.js';
import { finishForgetting } from '../forget/finish.js';
import { EVENT_SCRUB, recordScrub, scrubCandidates } from '../forget/scrub.js';
import { forgetTaskRef, newTask, type ForgetTask } from '../forget/tasks.js';
import { findTraces, traceCount } from '../forget/traces.js';
import { vectorsRef } from '../search/vectors.js';
import { runChange } from './change.js';

/**
 * Traces scrubbed or deleted in the delete's own commit; a memory with more (a long history) has
 * the rest finished after it. Keeps a group commit of deletes within change.ts's write budget.
 */
const IN_COMMIT = 60;

export async function deleteMemory(
  ctx: MutationContext,
  target: AiTarget,
  tier: MemoryType,
  memoryId: string,
): Promise<MemoryDeletion> {
  const ref = memoryRef(ctx.db, target.aiUuid, tier, memoryId);
  const seen = await ref.get();
  const traces = await findTraces(ctx.db, target.aiUuid, memoryId);
  // An extracted memory's text is also its job's candidate (extraction/jobs.ts).
  const jobId = (seen.get('origin') as { job_id?: unknown } | undefined)?.job_id;
  const jobRef = typeof jobId === 'string' ? extractionsRef(ctx.db, target.aiUuid).doc(jobId) : null;
  // Set by the commit's callback (an object: TypeScript can't see a callback assign a variable).
  const pending: { task?: ForgetTask } = {};
  const result = await runChange(
    ctx,
    target.aiUuid,
    // The records are read so that one expired meanwhile (TTL) is passed over, not a failed commit.
    [ref, ...traces.records, ...(jobRef ? [jobRef] : [])],
    ({ tx, docs, now, event }) => {
      const current = docs[0];
      if (!current?.exists) throw notFound('memory');
      tx.delete(ref);
      // Its stored vector (search/vectors.ts) goes with it.
      tx.delete(vectorsRef(ctx.db, target.aiUuid).doc(memoryId));
      const eventId = event({ type: 'deleted', memoryId, tier, memory: null });
      const changed = !seen.updateTime || !current.updateTime?.isEqual(seen.updateTime);
      const fits = traceCount(traces) <= IN_COMMIT;
      if (fits) {
        for (const e of traces.events) tx.update(e, EVENT_SCRUB);
        for (const v of traces.versions) tx.delete(v);
        for (const r of docs.slice(1, 1 + traces.records.length)) if (r.exists) tx.update(r.ref, recordScrub(memoryId));
      }
      const job = jobRef && typeof jobId === 'string' ? docs.at(-1) : undefined;
      const candidates = job?.exists ? scrubCandidates(jobId as string, memoryId, job.get('candidates')) : null;
      if (candidates && jobRef) tx.update(jobRef, { candidates });
      // Review items may be approved (deleted) at any moment: scrubbed after the commit, by the task.
      if (changed || !fits || traces.reviews.length > 0) {
        const origin = (current.get('origin') as { job_id?: unknown } | undefined)?.job_id;
        const task = newTask(
          target.aiUuid,
          memoryId,
          eventSeq(eventId) ?? 0,
          typeof origin === 'string' ? origin : null,
          now,
        );
        tx.set(forgetTaskRef(ctx.db, target.aiUuid, memoryId), task);
        pending.task = task;
      }
      const deletion: MemoryDeletion = { memory_id: memoryId, memory_type: tier, deleted: true, event_id: eventId };
      ctx.record(tx, deletion);
      return deletion;
    },
  );
  if (pending.task) await finishForgetting(ctx.db, pending.task);
  return result;
}
