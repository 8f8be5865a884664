/**
 * @module chat — `POST /v1/chat/completions` (OpenAI's Chat Completions shape, plus Memory
 * Weaver's own optional fields), the context preview, semantic search and chat sessions.
 */
import { z } from 'zod';
import { AiUuidSchema, MemoryIdSchema, MemoryTypeSchema, type Memory, type MemoryType } from './memory.js';

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
export interface MemoryUsed {
  memory_id: string;
  memory_type: MemoryType;
  score: number | null;
  reason: 'relevant' | 'recent' | 'close_match';
}

/** What Memory Weaver adds to a chat completion (OpenAI clients ignore it). */
export interface MemoryWeaverInfo {
  session_id: string;
  ai_uuid: string;
  /** True when no model is configured and the answer was made from memory alone. */
  recall_only: boolean;
  memories_used: MemoryUsed[];
}

export interface ContextPreview {
  ai_uuid: string;
  session_id: string | null;
  /** The system message the model would receive, memories included. */
  system: string;
  /** The session history that would be sent, oldest first. */
  history: { role: 'user' | 'assistant'; content: string }[];
  memories_used: MemoryUsed[];
  tokens: { budget: number; memories: number; history: number; total: number };
}

export interface SearchHit {
  memory: Memory;
  score: number;
  vector_similarity: number | null;
  keyword_score: number | null;
}

export interface ChatSession {
  session_id: string;
  name: string;
  user_id: string;
  created_at: string;
  updated_at: string;
  turns: number;
}

export interface ChatTurn {
  chat_id: string;
  message: string;
  response: string;
  user_id: string;
  timestamp: string;
  model: string;
}
