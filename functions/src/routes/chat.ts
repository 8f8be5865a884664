/**
 * @module routes/chat — `POST /v1/chat/completions` (OpenAI-compatible, streamed or not), the
 * context preview, semantic search, and chat sessions.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  AiUuidSchema,
  ChatCompletionRequestSchema,
  ContextPreviewRequestSchema,
  MEMORY_TYPES,
  SearchRequestSchema,
  SessionIdSchema,
  type ContextPreview,
  type MemoryWeaverInfo,
} from '@memory-weaver/protocol';
import {
  ApiError,
  GRPC,
  authenticate,
  bearerToken,
  grpcCode,
  type Principal,
  openAi,
  requestedAi,
} from '@memory-weaver/core';
import { prepareChat, loadAiSettings, type ChatDeps } from '../chat/prepareChat.js';
import { assembleContext } from '../chat/context.js';
import { deleteSession, getSession, listSessions } from '../chat/sessions.js';
import { storeExchange } from '../chat/storeExchange.js';
import { estimateTokens } from '../chat/tokens.js';
import type { MutationContext } from '../context.js';
import { findStoredResult, idempotencyScope, recordResult } from '../http/idempotency.js';
import { query, type RouteDeps } from '../http/route.js';
import { parse } from '../http/validate.js';
import { searchMemories } from '../search/searchMemories.js';

const AiPath = z.object({ ai_uuid: AiUuidSchema });
const SessionPath = AiPath.extend({ session_id: SessionIdSchema });
const SessionsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).max(500).optional(),
});

interface Completion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: { index: 0; message: { role: 'assistant'; content: string }; finish_reason: string; logprobs: null }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  memory_weaver: MemoryWeaverInfo;
}

function sse(res: Response, data: unknown): void {
  res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

/** A stored completion, replayed as a stream: one chunk with the whole answer. */
function replayAsStream(res: Response, c: Completion): void {
  res
    .status(200)
    .set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'idempotent-replayed': 'true' });
  const base = { id: c.id, object: 'chat.completion.chunk', created: c.created, model: c.model };
  sse(res, {
    ...base,
    choices: [
      { index: 0, delta: { role: 'assistant', content: c.choices[0]?.message.content ?? '' }, finish_reason: null },
    ],
    memory_weaver: c.memory_weaver,
  });
  sse(res, { ...base, choices: [{ index: 0, delta: {}, finish_reason: c.choices[0]?.finish_reason ?? 'stop' }] });
  sse(res, '[DONE]');
  res.end();
}

export function chatRoutes(deps: RouteDeps, chat: ChatDeps): Router {
  const r = Router();
  const { db } = deps;

  r.post('/chat/completions', async (req: Request, res: Response, next) => {
    const abort = new AbortController();
    // A client that goes away mid-answer aborts the model call; nothing is stored then.
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    try {
      // Not the write-path key cache: a completion hands memories out before anything commits.
      const principal = await authenticate(bearerToken(req.get('authorization')), deps);
      const body = parse(ChatCompletionRequestSchema, req.body, 'body');
      const now = deps.clock.now();
      const key = req.get('idempotency-key');
      const scope =
        key === undefined
          ? undefined
          : idempotencyScope(db, principal, key, { method: req.method, path: req.path, body: req.body }, now);
      const stored = scope ? await findStoredResult(scope) : null;
      if (stored) {
        if (body.stream) replayAsStream(res, stored.body as Completion);
        else res.status(stored.status).set('idempotent-replayed', 'true').json(stored.body);
        return;
      }
      const prepared = await prepareChat(chat, principal, body);
      const id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
      const created = Math.floor(now.getTime() / 1000);
      const ctx: MutationContext = {
        db,
        clock: { now: () => now },
        embedder: deps.embedder,
        principal,
        via: 'POST /v1/chat/completions',
        record: (writer, result) => recordResult(writer, scope, { status: 200, body: result }),
      };
      const completion = (text: string, finishReason: string, usage: Completion['usage'] | null): Completion => {
        const prompt = prepared.request.messages.reduce((s, m) => s + estimateTokens(m.content), 0);
        return {
          id,
          object: 'chat.completion',
          created,
          model: prepared.request.model,
          choices: [
            { index: 0, message: { role: 'assistant', content: text }, finish_reason: finishReason, logprobs: null },
          ],
          usage: usage ?? {
            prompt_tokens: prompt,
            completion_tokens: estimateTokens(text),
            total_tokens: prompt + estimateTokens(text),
          },
          memory_weaver: prepared.info,
        };
      };
      const store = (c: Completion) =>
        storeExchange(
          ctx,
          {
            aiUuid: prepared.aiUuid,
            sessionId: prepared.sessionId,
            message: prepared.message,
            response: c.choices[0]?.message.content ?? '',
            model: prepared.request.model,
            memoriesUsed: prepared.info.memories_used.map((m) => m.memory_id),
          },
          c,
        );
      res.set('x-memory-weaver-session-id', prepared.sessionId);

      if (!body.stream) {
        const reply = await prepared.model.complete(prepared.request, abort.signal);
        const c = completion(reply.text, reply.finishReason, reply.usage);
        await store(c);
        res.status(200).json(c);
        return;
      }

      res
        .status(200)
        .set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.flushHeaders();
      const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) => ({
        id,
        object: 'chat.completion.chunk',
        created,
        model: prepared.request.model,
        choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
        ...extra,
      });
      sse(res, chunk({ role: 'assistant', content: '' }, null, { memory_weaver: prepared.info }));
      try {
        const reply = await prepared.model.stream(prepared.request, abort.signal, (text) =>
          sse(res, chunk({ content: text }, null)),
        );
        await store(completion(reply.text, reply.finishReason, reply.usage));
        sse(res, chunk({}, reply.finishReason));
        sse(res, '[DONE]');
      } catch (err) {
        if (!abort.signal.aborted) {
          const e = err instanceof ApiError ? err : new ApiError('internal', 'internal error');
          if (!(err instanceof ApiError)) console.error('chat stream failed', err);
          // OpenAI clients raise an error for a stream event that carries `error`.
          sse(res, { error: { code: e.code, message: e.message, details: e.details } });
        }
      }
      res.end();
    } catch (err) {
      if (abort.signal.aborted && !(err instanceof ApiError)) return;
      if (err instanceof ApiError && err.code === 'rate_limited') {
        const retryAfter = (err.details as { retry_after?: string | null } | null)?.retry_after;
        if (retryAfter) res.set('retry-after', retryAfter);
      }
      if (grpcCode(err) === GRPC.ALREADY_EXISTS) {
        next(new ApiError('conflict', 'a request with this Idempotency-Key is already being answered'));
        return;
      }
      next(err);
    }
  });

  r.post(
    '/ais/:ai_uuid/context',
    query(deps, async (req, principal: Principal): Promise<ContextPreview> => {
      const { ai_uuid } = parse(AiPath, req.params, 'path');
      const body = parse(ContextPreviewRequestSchema, req.body, 'body');
      const aiUuid = requestedAi(principal, ai_uuid);
      const settings = await loadAiSettings(db, aiUuid);
      const c = await assembleContext(db, deps.embedder, aiUuid, settings, body.session_id ?? null, body.messages);
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
      const { ai_uuid } = parse(AiPath, req.params, 'path');
      const body = parse(SearchRequestSchema, req.body, 'body');
      const target = await openAi(db, principal, ai_uuid);
      const [vector] = await deps.embedder.embed([body.query]);
      const hits = await searchMemories(
        db,
        target.aiUuid,
        body.memory_types ?? [...MEMORY_TYPES],
        { text: body.query, vector: vector ?? [] },
        body.limit ?? 10,
      );
      return {
        results: hits.map((h) => ({
          memory: h.memory,
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
      const target = await openAi(db, principal, parse(AiPath, req.params, 'path').ai_uuid);
      const q = parse(SessionsQuery, req.query, 'query');
      return listSessions(db, target.aiUuid, { limit: q.limit ?? 20, cursor: q.cursor });
    }),
  );
  /** The session a request names, in an AI the caller may see. */
  const session = async (req: Request, principal: Principal) => {
    const path = parse(SessionPath, req.params, 'path');
    return { aiUuid: (await openAi(db, principal, path.ai_uuid)).aiUuid, sessionId: path.session_id };
  };
  r.get(
    '/ais/:ai_uuid/sessions/:session_id',
    query(deps, async (req, principal) => {
      const { aiUuid, sessionId } = await session(req, principal);
      return getSession(db, aiUuid, sessionId);
    }),
  );
  // Deleting a session is not a memory change (no event); a repeat answers 404.
  r.delete(
    '/ais/:ai_uuid/sessions/:session_id',
    query(deps, async (req, principal) => {
      const { aiUuid, sessionId } = await session(req, principal);
      return deleteSession(db, aiUuid, sessionId);
    }),
  );

  return r;
}
