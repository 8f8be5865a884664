/**
 * @module routes/extraction — memory that learns: an AI's extraction settings, `observe` for
 * exchanges held elsewhere, the jobs and their decisions, the review queue, hygiene, and every
 * memory's version history with restore.
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import {
  AiUuidSchema,
  HygieneQuerySchema,
  ListExtractionsQuerySchema,
  MemoryIdSchema,
  MemoryTypeSchema,
  ObserveBodySchema,
  UpdateExtractionSettingsSchema,
  type ObserveAccepted,
} from '@memory-weaver/protocol';
import { aiRef, ApiError, memoryShownTo, notFound, processKeyring, sealingTransaction } from '@memory-weaver/core';
import type { LlmConfig } from '../config.js';
import { enqueueJob, extractionsRef, listJobs, newJob, readJob, type JobDoc } from '../extraction/jobs.js';
import { hygiene } from '../extraction/hygiene.js';
import { approveReview, listReview, rejectReview } from '../extraction/review.js';
import { undoDecision } from '../extraction/undo.js';
import { extractionStatus, updateExtractionSettings } from '../extraction/settings.js';
import { openByPath } from '../http/open.js';
import { mutation, query, type RouteDeps } from '../http/route.js';
import { parse } from '../http/validate.js';
import { editMemory } from '../memory/editMemory.js';
import { getMemory } from '../memory/listMemories.js';
import { listVersions, readVersion } from '../memory/versions.js';

const AiPath = z.object({ ai_uuid: AiUuidSchema });
const JobPath = AiPath.extend({ extraction_id: MemoryIdSchema });
const DecisionPath = JobPath.extend({ index: z.coerce.number().int().min(0).max(1_000) });
const ReviewPath = AiPath.extend({ review_id: MemoryIdSchema });
const MemoryPath = AiPath.extend({ memory_type: MemoryTypeSchema, memory_id: MemoryIdSchema });
const VersionPath = MemoryPath.extend({ version_id: z.string().regex(/^\d{12}$/, 'a version id is an event id') });

export interface ExtractionRouteDeps {
  llm: LlmConfig;
  /** False when no model is configured: extraction is off and the API says so. */
  hasModel: boolean;
}

export function extractionRoutes(deps: RouteDeps, x: ExtractionRouteDeps): Router {
  const r = Router();
  const { db } = deps;

  r.get(
    '/ais/:ai_uuid/extraction',
    query(deps, async (req, principal) => {
      const { target } = await openByPath({ db, principal }, req, AiPath);
      return extractionStatus((await aiRef(db, target.aiUuid).get()).data(), x.llm, x.hasModel);
    }),
  );
  r.patch(
    '/ais/:ai_uuid/extraction',
    mutation(deps, 200, async (req, ctx) => {
      const { target, body } = await openByPath(ctx, req, AiPath, UpdateExtractionSettingsSchema);
      return updateExtractionSettings(ctx, target.aiUuid, body, x.llm, x.hasModel);
    }),
  );
  r.get(
    '/ais/:ai_uuid/extraction/hygiene',
    query(deps, async (req, principal) => {
      const { target } = await openByPath({ db, principal }, req, AiPath);
      const q = parse(HygieneQuerySchema, req.query, 'query');
      return hygiene(db, target.aiUuid, deps.clock.now(), q.days ?? 14);
    }),
  );

  r.post(
    '/ais/:ai_uuid/observe',
    mutation(deps, 202, async (req, ctx) => {
      const { target, body } = await openByPath(ctx, req, AiPath, ObserveBodySchema);
      const jobId = randomUUID().replace(/-/g, '');
      const ref = extractionsRef(db, target.aiUuid).doc(jobId);
      return db.runTransaction(async (tx) => {
        const data = (await tx.get(aiRef(db, target.aiUuid))).data();
        if (!data || data.deletedAt) throw notFound('AI instance');
        const status = extractionStatus(data, x.llm, x.hasModel);
        if (!status.active || status.model === null) {
          throw new ApiError(
            'conflict',
            status.model_configured
              ? 'extraction is turned off for this AI: PATCH /v1/ais/{ai_uuid}/extraction {"enabled": true}'
              : 'no model is configured on this server, so extraction is off',
            { model_configured: status.model_configured, enabled: status.settings.enabled },
          );
        }
        const job: JobDoc = newJob({
          source: 'observe',
          sessionId: body.session_id ?? null,
          turnIds: [],
          messages: body.messages,
          injected: [],
          settings: status.settings,
          model: status.model,
          at: ctx.clock.now(),
        });
        // The job's copy of the exchange is sealed (packages/core/src/crypto/fields.ts), with the
        // key version the registry read in this transaction names (a rotation conflicts).
        const cipher = await processKeyring().cipherForWrite(db, target.aiUuid, data.dataKeyVersion);
        enqueueJob(sealingTransaction(tx, cipher), db, target.aiUuid, ref.id, job);
        const accepted: ObserveAccepted = {
          extraction_id: jobId,
          status: 'queued',
          status_url: `/v1/ais/${target.aiUuid}/extractions/${jobId}`,
        };
        ctx.record(tx, accepted);
        return accepted;
      });
    }),
  );
  r.get(
    '/ais/:ai_uuid/extractions',
    query(deps, async (req, principal) => {
      const { target } = await openByPath({ db, principal }, req, AiPath);
      const q = parse(ListExtractionsQuerySchema, req.query, 'query');
      return listJobs(db, target.aiUuid, { limit: q.limit ?? 20, cursor: q.cursor });
    }),
  );
  r.get(
    '/ais/:ai_uuid/extractions/:extraction_id',
    query(deps, async (req, principal) => {
      const { path, target } = await openByPath({ db, principal }, req, JobPath);
      const job = await readJob(db, target.aiUuid, path.extraction_id);
      if (!job) throw notFound('extraction');
      return job;
    }),
  );
  r.post(
    '/ais/:ai_uuid/extractions/:extraction_id/retry',
    mutation(deps, 202, async (req, ctx) => {
      const { path, target } = await openByPath(ctx, req, JobPath);
      const ref = extractionsRef(db, target.aiUuid).doc(path.extraction_id);
      return db.runTransaction(async (tx) => {
        const job = (await tx.get(ref)).data() as JobDoc | undefined;
        if (!job) throw notFound('extraction');
        if (job.status !== 'failed') {
          throw new ApiError('conflict', `only a failed extraction can be retried; this one is ${job.status}`, {
            status: job.status,
          });
        }
        // Back to queued: the trigger runs it again, continuing from what was already applied.
        tx.update(ref, { status: 'queued', updatedAt: ctx.clock.now() });
        const accepted: ObserveAccepted = {
          extraction_id: path.extraction_id,
          status: 'queued',
          status_url: `/v1/ais/${target.aiUuid}/extractions/${path.extraction_id}`,
        };
        ctx.record(tx, accepted);
        return accepted;
      });
    }),
  );

  r.post(
    '/ais/:ai_uuid/extractions/:extraction_id/decisions/:index/undo',
    mutation(deps, 200, async (req, ctx) => {
      const { path, target } = await openByPath(ctx, req, DecisionPath);
      const decision = await undoDecision(ctx, target.aiUuid, path.extraction_id, path.index);
      return decision;
    }),
  );

  r.get(
    '/ais/:ai_uuid/review',
    query(deps, async (req, principal) => {
      const { target } = await openByPath({ db, principal }, req, AiPath);
      return { items: await listReview(db, target.aiUuid) };
    }),
  );
  r.post(
    '/ais/:ai_uuid/review/:review_id/approve',
    mutation(deps, 200, async (req, ctx) => {
      const { path, target } = await openByPath(ctx, req, ReviewPath);
      return approveReview(ctx, target.aiUuid, path.review_id);
    }),
  );
  r.post(
    '/ais/:ai_uuid/review/:review_id/reject',
    mutation(deps, 200, async (req, ctx) => {
      const { path, target } = await openByPath(ctx, req, ReviewPath);
      return rejectReview(ctx, target.aiUuid, path.review_id);
    }),
  );

  r.get(
    '/ais/:ai_uuid/memories/:memory_type/:memory_id/versions',
    query(deps, async (req, principal) => {
      const { path, target } = await openByPath({ db, principal }, req, MemoryPath);
      const current = await getMemory(db, target.aiUuid, path.memory_type, path.memory_id);
      if (!current) throw notFound('memory');
      const versions = await listVersions(db, target.aiUuid, path.memory_id);
      return {
        memory_id: path.memory_id,
        current: memoryShownTo(principal, current),
        versions: versions.map((v) => ({ ...v, memory: memoryShownTo(principal, v.memory) })),
      };
    }),
  );
  r.post(
    '/ais/:ai_uuid/memories/:memory_type/:memory_id/versions/:version_id/restore',
    mutation(deps, 200, async (req, ctx) => {
      const { path, target } = await openByPath(ctx, req, VersionPath);
      const version = await readVersion(db, target.aiUuid, path.memory_id, path.version_id);
      if (!version) throw notFound('version');
      // A restore is an edit back to the old content and metadata, itself kept as a new version;
      // the memory stays in the tier it is in now (moving it is a separate, visible change).
      return editMemory(
        ctx,
        target,
        path.memory_type,
        path.memory_id,
        { content: version.memory.content, metadata: version.memory.metadata },
        'restored',
      );
    }),
  );

  return r;
}
