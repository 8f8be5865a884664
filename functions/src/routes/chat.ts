/**
 * @module routes/chat — the chat endpoints: completions (routes/completions.ts), and here the
 * context preview, semantic search and chat sessions.
 */
import { Router } from 'express';
import { z } from 'zod';
import {
  AiUuidSchema,
  ContextPreviewRequestSchema,
  MEMORY_TYPES,
  SearchRequestSchema,
  SessionIdSchema,
  SessionsQuerySchema,
  type ContextPreview,
} from '@memory-weaver/protocol';
import { requestedAi, type Principal } from '@memory-weaver/core';
import { loadAiSettings, type ChatDeps } from '../chat/prepareChat.js';
import { assembleContext } from '../chat/context.js';
import { deleteSession, getSession, listSessions, openSession } from '../chat/sessions.js';
import type { ErrorLogger } from '../http/errors.js';
import { memoryShownTo } from '../memory/record.js';
import { openByPath } from '../http/open.js';
import { query, type RouteDeps } from '../http/route.js';
import { parse } from '../http/validate.js';
import { searchMemories } from '../search/searchMemories.js';
import { completions } from './completions.js';

const AiPath = z.object({ ai_uuid: AiUuidSchema });
const SessionPath = AiPath.extend({ session_id: SessionIdSchema });

export function chatRoutes(deps: RouteDeps, chat: ChatDeps, log: ErrorLogger): Router {
  const r = Router();
  const { db } = deps;

  r.post('/chat/completions', completions(deps, chat, log));

  r.post(
    '/ais/:ai_uuid/context',
    query(deps, async (req, principal: Principal): Promise<ContextPreview> => {
      const { ai_uuid } = parse(AiPath, req.params, 'path');
      const body = parse(ContextPreviewRequestSchema, req.body, 'body');
      const aiUuid = requestedAi(principal, ai_uuid);
      const settings = await loadAiSettings(db, aiUuid);
      const session = body.session_id ? await openSession(db, principal, aiUuid, body.session_id) : null;
      const c = await assembleContext(chat, db, aiUuid, settings, session?.id ?? null, body.messages);
      return {
        ai_uuid: aiUuid,
        session_id: body.session_id ?? null,
        system: c.system,
        history: c.history,
        memories_used: c.used.map(({ content: _content, ...u }) => u),
        tokens: c.tokens,
      };
    }),
  );

  r.post(
    '/ais/:ai_uuid/search',
    query(deps, async (req, principal) => {
      const { body, target } = await openByPath({ db, principal }, req, AiPath, SearchRequestSchema);
      const hits = await searchMemories(chat, target.aiUuid, body.memory_types ?? MEMORY_TYPES, body.query, {
        mode: body.mode ?? 'hybrid',
        limit: body.limit ?? 10,
      });
      return {
        results: hits.map((h) => ({
          memory: memoryShownTo(principal, h.memory),
          score: h.score,
          vector_similarity: h.vectorSimilarity,
          keyword_score: h.keywordScore,
        })),
      };
    }),
  );

  r.get(
    '/ais/:ai_uuid/sessions',
    query(deps, async (req, principal) => {
      const { target } = await openByPath({ db, principal }, req, AiPath);
      const q = parse(SessionsQuerySchema, req.query, 'query');
      return listSessions(db, target.aiUuid, principal, { limit: q.limit ?? 20, cursor: q.cursor });
    }),
  );
  r.get(
    '/ais/:ai_uuid/sessions/:session_id',
    query(deps, async (req, principal) => {
      const { path, target } = await openByPath({ db, principal }, req, SessionPath);
      return getSession(db, target.aiUuid, path.session_id, principal);
    }),
  );
  // Deleting a session is not a memory change (no event); a repeat answers 404.
  r.delete(
    '/ais/:ai_uuid/sessions/:session_id',
    query(deps, async (req, principal) => {
      const { path, target } = await openByPath({ db, principal }, req, SessionPath);
      return deleteSession(db, target.aiUuid, path.session_id, principal);
    }),
  );

  return r;
}
