/**
 * @module forget/finish — carries out what a memory's delete left to forget (a forget task), in
 * bounded batches, then removes the task. Every step is idempotent (a scrubbed event scrubbed again,
 * a deleted document deleted again), so a finishing cut short and run again by the sweep ends the same.
 */
import type { Firestore, WriteBatch } from 'firebase-admin/firestore';
import { GRPC, grpcCode, openSnapshots } from '@memory-weaver/core';
import { sealedTransaction } from '../crypto/sealedWrite.js';
import { extractionsRef } from '../extraction/jobs.js';
import { EVENT_SCRUB, REVIEW_SCRUB, recordScrub, scrubCandidates } from './scrub.js';
import { forgetTaskRef, type ForgetTask } from './tasks.js';
import { findTraces, type Traces } from './traces.js';

/** Writes per batch: well under a commit's limits, and each batch lands on its own. */
const BATCH = 200;

/** Finishes forgetting `task`'s memory and removes the task. */
export async function finishForgetting(db: Firestore, task: ForgetTask): Promise<void> {
  const traces = await findTraces(db, task.aiUuid, task.memoryId, task.beforeSeq);
  await applyTraces(db, traces, task.memoryId);
  if (task.jobId) await scrubJob(db, task.aiUuid, task.jobId, task.memoryId);
  await forgetTaskRef(db, task.aiUuid, task.memoryId).delete();
}

/** Scrubs and deletes the documents of `traces`, BATCH writes at a time. */
export async function applyTraces(db: Firestore, traces: Traces, memoryId: string): Promise<void> {
  const writes: ((b: WriteBatch) => void)[] = [
    ...traces.events.map((ref) => (b: WriteBatch) => void b.update(ref, EVENT_SCRUB)),
    ...traces.versions.map((ref) => (b: WriteBatch) => void b.delete(ref)),
  ];
  for (let i = 0; i < writes.length; i += BATCH) {
    const batch = db.batch();
    for (const write of writes.slice(i, i + BATCH)) write(batch);
    await batch.commit();
  }
  // One at a time: a review item may be approved or rejected (deleted) meanwhile, and a record may
  // expire (TTL); either then has nothing left to forget.
  const gone = (err: unknown) => {
    if (grpcCode(err) !== GRPC.NOT_FOUND) throw err;
  };
  for (const ref of traces.reviews) await ref.update(REVIEW_SCRUB).catch(gone);
  for (const ref of traces.records) await ref.update(recordScrub(memoryId)).catch(gone);
}

/** Empties the candidate of job `jobId` that became the memory (read and written in one transaction). */
async function scrubJob(db: Firestore, aiUuid: string, jobId: string, memoryId: string): Promise<void> {
  const ref = extractionsRef(db, aiUuid).doc(jobId);
  // The candidates are sealed at rest: opened to find the memory's, sealed again when written.
  await sealedTransaction(db, aiUuid, async (tx) => {
    const [job] = await openSnapshots(db, aiUuid, [await tx.get(ref)]);
    const candidates = scrubCandidates(jobId, memoryId, job?.get('candidates'));
    if (candidates) tx.update(ref, { candidates });
  });
}
