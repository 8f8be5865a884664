/**
 * @module resources/chat — `POST /v1/chat/completions`, OpenAI's shape grounded in the AI's memory:
 * the whole answer, or a stream of chunks. Both carry an Idempotency-Key, so a retried request gets
 * the first attempt's answer back (replayed as a stream when streamed) instead of a second exchange.
 */
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from '@memory-weaver/protocol';
import { readChunks } from '../sse.js';
import type { Transport } from '../transport.js';

/** A streamed completion: iterate its chunks; a failure after the headers throws from the loop. */
export interface ChatCompletionStream extends AsyncIterable<ChatCompletionChunk> {
  /** The session this exchange belongs to (new unless the request named one). */
  readonly sessionId: string | null;
}

const PATH = '/v1/chat/completions';

export const chatMethods = (t: Transport) => ({
  /** The whole answer at once. An administrator names the AI with `ai_uuid`; a key needs none. */
  createChatCompletion: (request: Omit<ChatCompletionRequest, 'stream'>): Promise<ChatCompletion> =>
    t.json('POST', PATH, { body: { ...request, stream: false } }),

  /**
   * The answer as it is made: `for await (const chunk of stream)`; the first chunk carries
   * `memory_weaver` (the session and the memories used). `signal` stops it (nothing is stored then).
   */
  streamChatCompletion: async (
    request: Omit<ChatCompletionRequest, 'stream'>,
    options: { signal?: AbortSignal } = {},
  ): Promise<ChatCompletionStream> => {
    const res = await t.open('POST', PATH, { body: { ...request, stream: true }, ...options });
    return {
      sessionId: res.headers.get('x-memory-weaver-session-id'),
      [Symbol.asyncIterator]: () => readChunks<ChatCompletionChunk>(res)[Symbol.asyncIterator](),
    };
  },
});
export type ChatMethods = ReturnType<typeof chatMethods>;
