/**
 * @module routes/completionStream — a completion sent as Server-Sent Events, the way OpenAI
 * streams one: a live model stream, or a stored completion replayed. Once the headers are out the
 * status can't change, so a failure becomes an `error` event in the stream.
 */
import type { Response } from 'express';
import { ApiError } from '@memory-weaver/core';
import { chunkBody, completionBody, replayChunks, type Completion, type CompletionHead } from '../chat/completion.js';
import type { PreparedChat } from '../chat/prepareChat.js';
import { describeError, type ErrorLogger } from '../http/errors.js';
import type { StoredResult } from '../http/idempotency.js';

const DONE = '[DONE]';

function send(res: Response, data: unknown): void {
  res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

/** Answers a retried streamed request with the completion its first attempt stored. */
export function replayAsStream(res: Response, stored: StoredResult): void {
  res
    .status(200)
    .set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'idempotent-replayed': 'true' });
  // Only a completion is ever stored under a completion's key (see routes/completions.ts).
  for (const chunk of replayChunks(stored.body as Completion)) send(res, chunk);
  send(res, DONE);
  res.end();
}

export interface LiveStream {
  prepared: PreparedChat;
  head: CompletionHead;
  /** Aborted when the client goes away; nothing is stored or sent after that. */
  signal: AbortSignal;
  /** Stores the finished exchange; it runs before the final chunk, so a stored answer was sent whole. */
  store: (completion: Completion) => Promise<unknown>;
  log: ErrorLogger;
}

export async function streamCompletion(res: Response, live: LiveStream): Promise<void> {
  const { prepared, head, signal } = live;
  res.status(200).set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
  send(res, chunkBody(head, { role: 'assistant', content: '' }, null, { memory_weaver: prepared.info }));
  try {
    const reply = await prepared.model.stream(prepared.request, signal, (text) => {
      send(res, chunkBody(head, { content: text }, null));
    });
    await live.store(completionBody(head, prepared.request.messages, prepared.info, reply));
    send(res, chunkBody(head, {}, reply.finishReason));
    send(res, DONE);
  } catch (err) {
    if (!signal.aborted) {
      const e = err instanceof ApiError ? err : new ApiError('internal', 'internal error');
      if (!(err instanceof ApiError)) {
        live.log.error('chat stream failed', {
          ai_uuid: prepared.aiUuid,
          session_id: prepared.sessionId,
          error: describeError(err),
        });
      }
      // OpenAI clients raise an error for a stream event that carries `error`.
      send(res, { error: { code: e.code, message: e.message, details: e.details } });
    }
  }
  res.end();
}
