/**
 * @module resources/recall — reading an AI's memory the way a chat does: semantic search, and the
 * context a chat would be given. Both are POSTs that change nothing (no Idempotency-Key).
 */
import type { ChatMessage, ContextPreview, SearchResults } from '@memory-weaver/protocol';
import { segment, type Transport } from '../transport.js';
import type { SearchRequest } from '../types.js';

/**
 * `memory_types`: all four by default; `limit`: 10 by default; `mode`: `hybrid` (the default) fuses
 * words and meaning, `keyword` and `vector` use one signal.
 */
export type SearchOptions = Omit<SearchRequest, 'query'>;

export const recallMethods = (t: Transport) => ({
  /** `POST /v1/ais/{ai_uuid}/search`: the best matches first. */
  search: (aiUuid: string, query: string, options: SearchOptions = {}): Promise<SearchResults> =>
    t.json('POST', `/v1/ais/${segment(aiUuid)}/search`, { body: { query, ...options }, mutation: false }),

  /**
   * `POST /v1/ais/{ai_uuid}/context`: what a chat completion for `messages` would send the model
   * (the system message with its memories, the session's history, the token budget), without
   * calling it or storing anything.
   */
  previewContext: (aiUuid: string, messages: ChatMessage[], sessionId?: string): Promise<ContextPreview> =>
    t.json('POST', `/v1/ais/${segment(aiUuid)}/context`, {
      body: { messages, ...(sessionId ? { session_id: sessionId } : {}) },
      mutation: false,
    }),
});
export type RecallMethods = ReturnType<typeof recallMethods>;
