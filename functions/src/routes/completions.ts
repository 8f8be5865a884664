/**
 * @module routes/completions — `POST /v1/chat/completions`, OpenAI-compatible: prepare the chat,
 * ask the model (whole or streamed), and store the exchange with the answer as its
 * Idempotency-Key result, so a retry with the same key gets that answer back instead of a new one.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ChatCompletionRequestSchema } from '@memory-weaver/protocol';
import { ApiError, GRPC, grpcCode } from '@memory-weaver/core';
import { completionBody, type Completion } from '../chat/completion.js';
import { prepareChat, type ChatDeps, type PreparedChat } from '../chat/prepareChat.js';
import { storeExchange, type Exchange } from '../chat/storeExchange.js';
import type { ErrorLogger } from '../http/errors.js';
import { authenticated, mutationContext, replay, requestScope, sendStored, type RouteDeps } from '../http/route.js';
import { parse } from '../http/validate.js';
import { replayAsStream, streamCompletion } from './completionStream.js';

const VIA = 'POST /v1/chat/completions';

const exchangeOf = (prepared: PreparedChat, c: Completion): Exchange => ({
  aiUuid: prepared.aiUuid,
  sessionId: prepared.sessionId,
  message: prepared.message,
  response: c.choices[0]?.message.content ?? '',
  model: prepared.request.model,
  recallOnly: prepared.info.recall_only,
  given: prepared.context.used.map((m) => ({ memory_id: m.memory_id, content: m.content, memory_type: m.memory_type })),
  extraction: prepared.extraction,
  summary: prepared.summary,
});

export function completions(deps: RouteDeps, chat: ChatDeps, log: ErrorLogger): RequestHandler {
  // Authenticated as every route is (`authenticated`: the caller's limit, its failed attempts, the
  // log line's caller and AI), and from Firestore, not the write-path key cache: a completion
  // hands memories out before anything commits.
  return authenticated(deps, async (req, res, principal) => {
    const abort = new AbortController();
    // A client that goes away mid-answer aborts the model call; nothing is stored then.
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    try {
      const body = parse(ChatCompletionRequestSchema, req.body, 'body');
      const now = deps.clock.now();
      const scope = requestScope(deps.db, req, principal, now);
      // The first answer comes back in the shape this retry asks for, JSON or a stream.
      if (scope && (await replay(scope, res, body.stream ? replayAsStream : sendStored))) return;
      const prepared = await prepareChat(chat, principal, body);
      const head = {
        id: `chatcmpl-${randomUUID().replace(/-/g, '')}`,
        created: Math.floor(now.getTime() / 1000),
        model: prepared.request.model,
      };
      const ctx = mutationContext(deps, { principal, now, via: VIA, scope, status: 200 });
      const store = (c: Completion) => storeExchange(ctx, exchangeOf(prepared, c), c);
      res.set('x-memory-weaver-session-id', prepared.sessionId);
      if (body.stream) {
        await streamCompletion(res, { prepared, head, signal: abort.signal, store, log });
        return;
      }
      const reply = await prepared.model.complete(prepared.request, abort.signal);
      const completion = completionBody(head, prepared.request.messages, prepared.info, reply);
      await store(completion);
      res.status(200).json(completion);
    } catch (err) {
      // The client left and took the failure with it: there is no one to answer.
      if (abort.signal.aborted && !(err instanceof ApiError)) return;
      if (err instanceof ApiError && err.code === 'rate_limited') {
        const retryAfter = (err.details as { retry_after?: string | null } | null)?.retry_after;
        if (retryAfter) res.set('retry-after', retryAfter);
      }
      // Another request with this key stored its answer after this one looked for a stored answer.
      if (grpcCode(err) === GRPC.ALREADY_EXISTS) {
        throw new ApiError('conflict', 'a request with this Idempotency-Key is already being answered');
      }
      throw err;
    }
  });
}
