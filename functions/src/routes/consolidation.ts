/**
 * @module routes/consolidation — tidying an AI's memory on demand: its consolidation settings, a
 * run (dry or real, or a stored plan executed), the runs, and undo of a run's moves.
 */
import { Router } from 'express';
import { z } from 'zod';
import {
  AcceptProposalsBodySchema,
  AiUuidSchema,
  ConsolidateBodySchema,
  ListConsolidationsQuerySchema,
  MemoryIdSchema,
  UpdateConsolidationSettingsSchema,
} from '@memory-weaver/protocol';
import { aiRef, notFound } from '@memory-weaver/core';
import type { LlmConfig } from '../config.js';
import { consolidateAi } from '../consolidation/consolidate.js';
import { acceptProposals } from '../consolidation/proposals.js';
import type { ChatModel } from '../llm/base.js';
import { listRuns, readRun, runsRef, toRun } from '../consolidation/runs.js';
import { consolidationSettingsOf, updateConsolidationSettings } from '../consolidation/settings.js';
import { undoRun } from '../consolidation/undo.js';
import { openByPath } from '../http/open.js';
import { mutation, query, type RouteDeps } from '../http/route.js';
import { parse } from '../http/validate.js';

const AiPath = z.object({ ai_uuid: AiUuidSchema });
const RunPath = AiPath.extend({ run_id: MemoryIdSchema });

/** The model a run asks for extraction jobs and reflections; null: none configured. */
export interface ConsolidationModel {
  llm: LlmConfig;
  model: ChatModel | null;
}

export function consolidationRoutes(deps: RouteDeps, model: ConsolidationModel): Router {
  const r = Router();
  const { db } = deps;

  r.get(
    '/ais/:ai_uuid/consolidation',
    query(deps, async (req, principal) => {
      const { target } = await openByPath({ db, principal }, req, AiPath);
      return consolidationSettingsOf((await aiRef(db, target.aiUuid).get()).data());
    }),
  );
  r.patch(
    '/ais/:ai_uuid/consolidation',
    mutation(deps, 200, async (req, ctx) => {
      const { target, body } = await openByPath(ctx, req, AiPath, UpdateConsolidationSettingsSchema);
      return updateConsolidationSettings(ctx, target.aiUuid, body);
    }),
  );
  r.post(
    '/ais/:ai_uuid/consolidate',
    mutation(deps, 200, async (req, ctx) => {
      const { target, body } = await openByPath(ctx, req, AiPath, ConsolidateBodySchema.optional());
      const b = body ?? {};
      if (b.run_id && !(await runsRef(db, target.aiUuid).doc(b.run_id).get()).exists) {
        throw notFound('consolidation run');
      }
      const runId = await consolidateAi({ db, clock: ctx.clock, ...model }, target.aiUuid, {
        ...(b.dry_run !== undefined ? { dryRun: b.dry_run } : {}),
        ...(b.run_id ? { runId: b.run_id } : {}),
        ...(b.max_batches !== undefined ? { maxBatches: b.max_batches } : {}),
      });
      // The answer is the run as it stands now, recorded for an Idempotency-Key replay in a commit of its own.
      const ref = runsRef(db, target.aiUuid).doc(runId as string);
      return db.runTransaction(async (tx) => {
        const run = toRun(target.aiUuid, ref.id, (await tx.get(ref)).data() ?? {});
        ctx.record(tx, run);
        return run;
      });
    }),
  );
  r.get(
    '/ais/:ai_uuid/consolidations',
    query(deps, async (req, principal) => {
      const { target } = await openByPath({ db, principal }, req, AiPath);
      const q = parse(ListConsolidationsQuerySchema, req.query, 'query');
      return { runs: await listRuns(db, target.aiUuid, q.limit ?? 10) };
    }),
  );
  r.get(
    '/ais/:ai_uuid/consolidations/:run_id',
    query(deps, async (req, principal) => {
      const { path, target } = await openByPath({ db, principal }, req, RunPath);
      const run = await readRun(db, target.aiUuid, path.run_id);
      if (!run) throw notFound('consolidation run');
      return run;
    }),
  );
  r.post(
    '/ais/:ai_uuid/consolidations/:run_id/undo',
    mutation(deps, 200, async (req, ctx) => {
      const { path, target } = await openByPath(ctx, req, RunPath);
      return undoRun(ctx, target.aiUuid, path.run_id);
    }),
  );
  r.post(
    '/ais/:ai_uuid/consolidations/:run_id/proposals/accept',
    mutation(deps, 200, async (req, ctx) => {
      const { path, target, body } = await openByPath(ctx, req, RunPath, AcceptProposalsBodySchema);
      return acceptProposals(ctx, target.aiUuid, path.run_id, body.memory_ids);
    }),
  );

  return r;
}
