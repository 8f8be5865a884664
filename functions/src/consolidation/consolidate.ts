/**
 * @module consolidation/consolidate — one AI's run on demand (plan, then execute the plan unless
 * it is a dry run, or execute a stored plan), and the scheduled pass over every live AI.
 */
import { AI_REGISTRY } from '@memory-weaver/core';
import type { ConsolidationDeps } from './deps.js';
import { executeRun } from './execute.js';
import { planRun } from './plan.js';
import { runsRef } from './runs.js';
import { consolidationSettingsOf } from './settings.js';

export interface ConsolidateRequest {
  dryRun?: boolean;
  runId?: string;
  maxBatches?: number;
  /** Plan no run when there is nothing to do (the scheduled pass). */
  skipEmpty?: boolean;
}

/** Plans (or takes the stored plan of `runId`) and executes it; answers the run's id (null: nothing to do, with skipEmpty). */
export async function consolidateAi(
  deps: ConsolidationDeps,
  aiUuid: string,
  req: ConsolidateRequest,
): Promise<string | null> {
  const runId =
    req.runId ?? (await planRun(deps, aiUuid, req.dryRun === true, { skipEmpty: req.skipEmpty === true }))?.runId;
  if (!runId) return null;
  if (req.dryRun !== true) {
    await executeRun(deps, aiUuid, runId, req.maxBatches === undefined ? {} : { maxBatches: req.maxBatches });
  }
  return runId;
}

/** AIs read per page of the registry, and consolidated side by side. */
const PAGE = 100;
const IN_FLIGHT = 8;
/** Batches one AI gets per scheduled pass: a large AI continues next time instead of holding up the others. */
export const SCHEDULED_MAX_BATCHES = 10;

export interface PassReport {
  ais: number;
  runs: number;
  failed: { ai_uuid: string; message: string }[];
}

/**
 * The scheduled pass: every live AI whose settings leave `scheduled` on, IN_FLIGHT at a time, each
 * run bounded to SCHEDULED_MAX_BATCHES. An AI that fails is reported and the others go on.
 */
export async function consolidateAll(deps: ConsolidationDeps): Promise<PassReport> {
  const report: PassReport = { ais: 0, runs: 0, failed: [] };
  let after: string | undefined;
  for (;;) {
    let q = deps.db.collection(AI_REGISTRY).where('deletedAt', '==', null).orderBy('__name__').limit(PAGE);
    if (after) q = q.startAfter(after);
    const page = (await q.get()).docs;
    if (page.length === 0) break;
    after = page.at(-1)?.id;
    const due = page.filter((d) => consolidationSettingsOf(d.data()).scheduled).map((d) => d.id);
    report.ais += page.length;
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const aiUuid = due[next++] as string;
        try {
          // A run an earlier pass left part-way is finished first, before anything new is planned.
          const left = await runsRef(deps.db, aiUuid).where('status', 'in', ['partial', 'running']).limit(1).get();
          const runId = left.docs[0]?.id;
          const ran = await consolidateAi(deps, aiUuid, {
            maxBatches: SCHEDULED_MAX_BATCHES,
            skipEmpty: true,
            ...(runId ? { runId } : {}),
          });
          if (ran) report.runs++;
        } catch (err) {
          report.failed.push({ ai_uuid: aiUuid, message: err instanceof Error ? err.message : String(err) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, due.length) }, worker));
    if (page.length < PAGE) break;
  }
  return report;
}
