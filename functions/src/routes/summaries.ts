/**
 * @module routes/summaries — rolling session summaries: an AI's summary settings (every how many
 * turns, on or off) with its counts, and one session's summary in force with its rejections.
 */
import { Router } from 'express';
import { z } from 'zod';
import { AiUuidSchema, SessionIdSchema, UpdateSummarySettingsSchema } from '@memory-weaver/protocol';
import type { LlmConfig } from '../config.js';
import { openSession } from '../chat/sessions.js';
import { summaryStatus, toSessionSummary, updateSummarySettings } from '../consolidation/summaries/index.js';
import { openByPath } from '../http/open.js';
import { mutation, query, type RouteDeps } from '../http/route.js';

const AiPath = z.object({ ai_uuid: AiUuidSchema });
const SessionPath = AiPath.extend({ session_id: SessionIdSchema });

export interface SummaryRouteDeps {
  llm: LlmConfig;
  /** False when no model is configured: summaries are off and the API says so. */
  hasModel: boolean;
}

export function summaryRoutes(deps: RouteDeps, x: SummaryRouteDeps): Router {
  const r = Router();
  const { db } = deps;

  r.get(
    '/ais/:ai_uuid/summaries',
    query(deps, async (req, principal) => {
      const { target } = await openByPath({ db, principal }, req, AiPath);
      return summaryStatus(db, target.aiUuid, x.llm, x.hasModel);
    }),
  );
  r.patch(
    '/ais/:ai_uuid/summaries',
    mutation(deps, 200, async (req, ctx) => {
      const { target, body } = await openByPath(ctx, req, AiPath, UpdateSummarySettingsSchema);
      return updateSummarySettings(ctx, target.aiUuid, body, x.llm, x.hasModel);
    }),
  );
  r.get(
    '/ais/:ai_uuid/sessions/:session_id/summary',
    query(deps, async (req, principal) => {
      const { path, target } = await openByPath({ db, principal }, req, SessionPath);
      // A session the caller may not use answers 404, like one that doesn't exist (chat/sessions.ts).
      const session = await openSession(db, principal, target.aiUuid, path.session_id);
      return toSessionSummary(db, target.aiUuid, session.id, session.data);
    }),
  );

  return r;
}
