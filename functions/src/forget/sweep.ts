/**
 * @module forget/sweep — finishes forgetting that a request could not: AIs marked deleted whose
 * documents remain (a delete cut short), and memories whose forget task is still there. Run by
 * the `forgetSweep` schedule (index.ts) every 10 minutes; the Functions emulator fires no
 * schedules, so tests call `sweepForgotten` itself.
 *
 * It works on what it finds, without a grace period: every step is idempotent, so finishing a
 * delete that its own request is still finishing costs a few repeated writes, never a wrong result.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { AI_REGISTRY } from '@memory-weaver/core';
import { finishForgetting } from './finish.js';
import { purgeAi } from './purgeAi.js';
import { FORGET_TASKS, type ForgetTask } from './tasks.js';

/** Bounds one pass; what is left waits for the next (a pass must end within the function's timeout). */
const MAX_AIS = 20;
const MAX_TASKS = 200;

export interface SweepReport {
  ais_purged: number;
  memories_forgotten: number;
  /** Items that failed this pass (logged by the caller); the next pass tries them again. */
  failed: number;
}

export async function sweepForgotten(deps: {
  db: Firestore;
  log?: (message: string, err: unknown) => void;
}): Promise<SweepReport> {
  const { db } = deps;
  const report: SweepReport = { ais_purged: 0, memories_forgotten: 0, failed: 0 };
  const fail = (what: string) => (err: unknown) => {
    report.failed++;
    deps.log?.(what, err);
  };
  const deleted = await db.collection(AI_REGISTRY).where('deletedAt', '!=', null).select().limit(MAX_AIS).get();
  for (const doc of deleted.docs) {
    await purgeAi(db, doc.id).then(
      () => {
        report.ais_purged++;
      },
      fail(`purge of AI ${doc.id}`),
    );
  }
  const tasks = await db.collection(FORGET_TASKS).limit(MAX_TASKS).get();
  for (const doc of tasks.docs) {
    await finishForgetting(db, doc.data() as ForgetTask).then(
      () => {
        report.memories_forgotten++;
      },
      fail(`forget task ${doc.id}`),
    );
  }
  return report;
}
