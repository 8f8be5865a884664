/**
 * @module chat — `POST /v1/chat/completions` (OpenAI's Chat Completions shape, plus Memory
 * Weaver's own optional fields), the context preview, semantic search and chat sessions.
 */
import { z } from 'zod';
import { AiUuidSchema, MemoryIdSchema, MemorySchema, MemoryTypeSchema, TimeSchema, Truncated } from './memory.js';
import { named } from './registry.js';

const TextPart = z.looseObject({ type: z.literal('text'), text: z.string() });
/** OpenAI message content: a string or an array of parts, of which only text is used. */
const ContentSchema = z.union([z.string(), z.array(z.union([TextPart, z.looseObject({ type: z.string() })]))]);

export const ChatMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: ContentSchema.nullable().optional(),
  name: z.string().max(200).optional(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const SessionIdSchema = MemoryIdSchema;

/**
 * OpenAI's request fields are accepted as OpenAI documents them; those a model call uses are
 * forwarded, others are ignored. `ai_uuid` names the AI when an administrator calls;
 * `session_id` continues a session (a new one is made without it).
 */
export const ChatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1).max(200).optional(),
  messages: z.array(ChatMessageSchema).min(1).max(500),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  max_tokens: z.int().min(1).max(32_000).optional(),
  max_completion_tokens: z.int().min(1).max(32_000).optional(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).optional(),
  presence_penalty: z.number().min(-2).max(2).optional(),
  frequency_penalty: z.number().min(-2).max(2).optional(),
  seed: z.int().optional(),
  user: z.string().max(200).optional(),
  ai_uuid: AiUuidSchema.optional(),
  session_id: SessionIdSchema.optional(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

export const ContextPreviewRequestSchema = z.strictObject({
  messages: z.array(ChatMessageSchema).min(1).max(500),
  session_id: SessionIdSchema.optional(),
});

/**
 * How a search ranks: `hybrid` (the default) fuses words and meaning; `keyword` is BM25 alone and
 * `vector` is cosine similarity alone (for comparing, and for callers who want one signal).
 */
export const SEARCH_MODES = ['hybrid', 'keyword', 'vector'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

export const SearchRequestSchema = z.strictObject({
  query: z.string().min(1).max(2_000),
  memory_types: z.array(MemoryTypeSchema).min(1).max(4).optional(),
  limit: z.int().min(1).max(50).optional(),
  mode: z.enum(SEARCH_MODES).optional(),
});

/** A memory as it was put into a model's context, with why. */
export const MemoryUsedSchema = named(
  'MemoryUsed',
  z.strictObject({
    memory_id: z.string(),
    memory_type: MemoryTypeSchema,
    score: z.number().nullable(),
    reason: z.enum(['relevant', 'recent', 'close_match']),
  }),
);
export type MemoryUsed = z.infer<typeof MemoryUsedSchema>;

/** What Memory Weaver adds to a chat completion (OpenAI clients ignore it). */
export const MemoryWeaverInfoSchema = named(
  'MemoryWeaverInfo',
  z.strictObject({
    session_id: z.string(),
    ai_uuid: z.string(),
    /** True when no model is configured and the answer was made from memory alone. */
    recall_only: z.boolean(),
    memories_used: z.array(MemoryUsedSchema),
  }),
);
export type MemoryWeaverInfo = z.infer<typeof MemoryWeaverInfoSchema>;

/** `POST /v1/ais/{ai_uuid}/context`: exactly what a completion would inject. */
export const ContextPreviewSchema = named(
  'ContextPreview',
  z.strictObject({
    ai_uuid: z.string(),
    session_id: z.string().nullable(),
    /** The system message the model would receive, memories included. */
    system: z.string(),
    /** The session history that would be sent, oldest first. */
    history: z.array(z.strictObject({ role: z.enum(['user', 'assistant']), content: z.string() })),
    memories_used: z.array(MemoryUsedSchema),
    tokens: z.strictObject({ budget: z.int(), memories: z.int(), history: z.int(), total: z.int() }),
  }),
);
export type ContextPreview = z.infer<typeof ContextPreviewSchema>;

export const SearchHitSchema = named(
  'SearchHit',
  z.strictObject({
    memory: MemorySchema,
    score: z.number(),
    vector_similarity: z.number().nullable(),
    keyword_score: z.number().nullable(),
  }),
);
export type SearchHit = z.infer<typeof SearchHitSchema>;

/** `POST /v1/ais/{ai_uuid}/search`: ranked, not paged (a cut answer says `truncated`). */
export const SearchResultsSchema = named(
  'SearchResults',
  z.strictObject({ results: z.array(SearchHitSchema), ...Truncated }),
);
export type SearchResults = z.infer<typeof SearchResultsSchema>;

export const ChatSessionSchema = named(
  'ChatSession',
  z.strictObject({
    session_id: z.string(),
    name: z.string(),
    user_id: z.string(),
    created_at: TimeSchema,
    updated_at: TimeSchema,
    turns: z.int().min(0),
  }),
);
export type ChatSession = z.infer<typeof ChatSessionSchema>;

export const ChatTurnSchema = named(
  'ChatTurn',
  z.strictObject({
    chat_id: z.string(),
    message: z.string(),
    response: z.string(),
    user_id: z.string(),
    timestamp: TimeSchema,
    model: z.string(),
  }),
);
export type ChatTurn = z.infer<typeof ChatTurnSchema>;

export const SessionsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).max(500).optional(),
});
export type SessionsQuery = z.infer<typeof SessionsQuerySchema>;

/** `GET /v1/ais/{ai_uuid}/sessions`: most recently used first. */
export const SessionPageSchema = named(
  'SessionPage',
  z.strictObject({ sessions: z.array(ChatSessionSchema), next_cursor: z.string().nullable() }),
);
export type SessionPage = z.infer<typeof SessionPageSchema>;

/** `GET /v1/ais/{ai_uuid}/sessions/{session_id}`: the session with its newest 500 turns, oldest first. */
export const ChatSessionDetailSchema = named(
  'ChatSessionDetail',
  z.strictObject({ ...ChatSessionSchema.shape, chats: z.array(ChatTurnSchema) }),
);
export type ChatSessionDetail = z.infer<typeof ChatSessionDetailSchema>;

export const SessionDeletedSchema = named(
  'SessionDeleted',
  z.strictObject({ session_id: z.string(), deleted: z.literal(true) }),
);
export type SessionDeleted = z.infer<typeof SessionDeletedSchema>;

const UsageSchema = z.looseObject({
  prompt_tokens: z.int().min(0),
  completion_tokens: z.int().min(0),
  total_tokens: z.int().min(0),
});

/** `POST /v1/chat/completions` without `stream`: OpenAI's `chat.completion`, plus `memory_weaver`. */
export const ChatCompletionSchema = named(
  'ChatCompletion',
  z.strictObject({
    id: z.string(),
    object: z.literal('chat.completion'),
    /** Seconds since the epoch, as OpenAI sends it. */
    created: z.int(),
    model: z.string(),
    choices: z.array(
      z.strictObject({
        index: z.literal(0),
        message: z.strictObject({ role: z.literal('assistant'), content: z.string() }),
        finish_reason: z.string(),
        logprobs: z.null(),
      }),
    ),
    usage: UsageSchema,
    memory_weaver: MemoryWeaverInfoSchema,
  }),
);
export type ChatCompletion = z.infer<typeof ChatCompletionSchema>;

/**
 * One `data:` event of a streamed completion (OpenAI's `chat.completion.chunk`). The first chunk
 * has `delta.role` and `memory_weaver`; the last has `finish_reason`; `data: [DONE]` ends the stream.
 */
export const ChatCompletionChunkSchema = named(
  'ChatCompletionChunk',
  z.strictObject({
    id: z.string(),
    object: z.literal('chat.completion.chunk'),
    created: z.int(),
    model: z.string(),
    choices: z.array(
      z.strictObject({
        index: z.literal(0),
        delta: z.strictObject({ role: z.literal('assistant').optional(), content: z.string().optional() }),
        finish_reason: z.string().nullable(),
        logprobs: z.null().optional(),
      }),
    ),
    memory_weaver: MemoryWeaverInfoSchema.optional(),
  }),
);
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunkSchema>;
