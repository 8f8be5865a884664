/**
 * @module llm/openaiModel — any OpenAI-compatible server through the official SDK. Upstream
 * failures become API errors: 429 stays 429 (with Retry-After), a timeout is 504, anything else
 * 502. The SDK's own retries are off: the caller's idempotent retry is the one that counts.
 */
import OpenAI from 'openai';
import { ApiError } from '@memory-weaver/core';
import type { ChatModel, ModelReply, ModelRequest } from './base.js';

/**
 * The parts of a completion read here, typed as an OpenAI-compatible server may really send them
 * (the SDK's types promise more than a third-party server keeps): any of them may be missing.
 */
interface UpstreamCompletion {
  choices?: { message?: { content?: unknown }; finish_reason?: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

interface UpstreamChunk {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
}

export function createOpenAIModel(client: OpenAI): ChatModel {
  const body = (r: ModelRequest) => ({ ...r.options, model: r.model, messages: r.messages });
  return {
    isModel: true,
    async complete(request, signal) {
      try {
        const res = await client.chat.completions.create({ ...body(request), stream: false } as never, { signal });
        const completion = res as unknown as UpstreamCompletion;
        const choice = completion.choices?.[0];
        if (!choice || typeof choice.message?.content !== 'string') {
          throw new ApiError('upstream_error', 'the model returned no message');
        }
        return {
          text: choice.message.content,
          finishReason: choice.finish_reason ?? 'stop',
          usage: completion.usage
            ? {
                prompt_tokens: completion.usage.prompt_tokens,
                completion_tokens: completion.usage.completion_tokens,
                total_tokens: completion.usage.total_tokens,
              }
            : null,
        };
      } catch (err) {
        throw upstreamError(err, signal);
      }
    },
    async stream(request, signal, onDelta) {
      try {
        const stream = await client.chat.completions.create({ ...body(request), stream: true } as never, { signal });
        let text = '';
        let finishReason: string | null = null;
        for await (const chunk of stream as unknown as AsyncIterable<UpstreamChunk>) {
          const choice = chunk.choices?.[0];
          const delta = choice?.delta?.content ?? '';
          if (delta) {
            text += delta;
            onDelta(delta);
          }
          if (choice?.finish_reason) finishReason = choice.finish_reason;
        }
        // A stream that ends without a finish reason was cut: it is not a completion.
        if (!finishReason)
          throw new ApiError('upstream_error', 'the model stream ended before the answer was complete');
        return { text, finishReason, usage: null } satisfies ModelReply;
      } catch (err) {
        throw upstreamError(err, signal);
      }
    },
  };
}

function upstreamError(err: unknown, signal: AbortSignal): unknown {
  if (err instanceof ApiError) return err;
  if (signal.aborted) return err;
  if (err instanceof OpenAI.APIConnectionTimeoutError) {
    return new ApiError('upstream_timeout', 'the model did not answer in time');
  }
  if (err instanceof OpenAI.APIError && err.status === 429) {
    const retryAfter = (err.headers as Headers | undefined)?.get('retry-after') ?? null;
    return new ApiError('rate_limited', 'the model is rate-limited: retry later', { retry_after: retryAfter });
  }
  if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
    return new ApiError('upstream_error', `the model failed (upstream status ${err.status})`, {
      upstream_status: err.status,
    });
  }
  return new ApiError('upstream_error', 'the model could not be reached or answered something unreadable');
}
