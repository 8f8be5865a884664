/**
 * @module forget/tasks — what is left to forget after a memory's delete committed: one document per
 * deleted memory whose traces did not all fit the delete's own commit (or changed while it was
 * prepared), at `forget_tasks/{aiUuid}.{memoryId}`. The request that deleted the memory finishes
 * it at once; the sweep (sweep.ts) finishes any that a crash left.
 *
 * Top-level rather than under the AI so that the sweep finds them with one plain query; the AI's
 * purge (purgeAi.ts) removes its own by `aiUuid`.
 */
import { Timestamp, type DocumentReference, type Firestore } from 'firebase-admin/firestore';

export const FORGET_TASKS = 'forget_tasks';

export interface ForgetTask {
  aiUuid: string;
  memoryId: string;
  /** The delete's event number: only events (and versions) before it are this memory's past. */
  beforeSeq: number;
  /** The extraction job the memory came from, whose candidate holds its text. */
  jobId: string | null;
  createdAt: Timestamp;
}

export const forgetTaskRef = (db: Firestore, aiUuid: string, memoryId: string): DocumentReference =>
  db.collection(FORGET_TASKS).doc(`${aiUuid}.${memoryId}`);

export function newTask(
  aiUuid: string,
  memoryId: string,
  beforeSeq: number,
  jobId: string | null,
  at: Date,
): ForgetTask {
  return { aiUuid, memoryId, beforeSeq, jobId, createdAt: Timestamp.fromDate(at) };
}
