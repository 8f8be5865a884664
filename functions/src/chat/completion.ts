/**
 * @module chat/completion — the OpenAI-shaped bodies of one completion: the whole answer, the
 * chunks of a live stream, and the chunks that replay a stored answer as a stream.
 */
import type { ChatCompletion, ChatCompletionChunk, MemoryWeaverInfo } from '@memory-weaver/protocol';
import type { ModelMessage, ModelReply } from '../llm/base.js';
import { estimateTokens } from './tokens.js';

/** The whole answer's body (the protocol's `ChatCompletion`). */
export type Completion = ChatCompletion;

/** What every body of one completion repeats. `created` is in seconds, as OpenAI sends it. */
export interface CompletionHead {
  id: string;
  created: number;
  model: string;
}

/** The whole answer. A model that doesn't count its tokens gets them estimated (see tokens.ts). */
export function completionBody(
  head: CompletionHead,
  messages: ModelMessage[],
  info: MemoryWeaverInfo,
  reply: ModelReply,
): Completion {
  const prompt = messages.reduce((s, m) => s + estimateTokens(m.content), 0);
  return {
    id: head.id,
    object: 'chat.completion',
    created: head.created,
    model: head.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply.text },
        finish_reason: reply.finishReason,
        logprobs: null,
      },
    ],
    usage: reply.usage ?? {
      prompt_tokens: prompt,
      completion_tokens: estimateTokens(reply.text),
      total_tokens: prompt + estimateTokens(reply.text),
    },
    memory_weaver: info,
  };
}

/** One chunk of a live stream; `extra` carries top-level fields (the first chunk's `memory_weaver`). */
export function chunkBody(
  head: CompletionHead,
  delta: ChatCompletionChunk['choices'][number]['delta'],
  finishReason: string | null,
  extra: Pick<ChatCompletionChunk, 'memory_weaver'> = {},
): ChatCompletionChunk {
  return {
    id: head.id,
    object: 'chat.completion.chunk',
    created: head.created,
    model: head.model,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    ...extra,
  };
}

/** A stored completion as a stream: one chunk with the whole answer, then the one that finishes it. */
export function replayChunks(c: Completion): ChatCompletionChunk[] {
  const base = { id: c.id, object: 'chat.completion.chunk' as const, created: c.created, model: c.model };
  const choice = c.choices[0];
  return [
    {
      ...base,
      choices: [
        { index: 0, delta: { role: 'assistant', content: choice?.message.content ?? '' }, finish_reason: null },
      ],
      memory_weaver: c.memory_weaver,
    },
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: choice?.finish_reason ?? 'stop' }] },
  ];
}
