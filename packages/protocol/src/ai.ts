/** @module ai — AI instances: the handshake and the resource API's bodies. */
import { z } from 'zod';
import { AiNameSchema, type MemoryType } from './memory.js';

export const HandshakeRequestSchema = z.strictObject({ ai_name: AiNameSchema });
export type HandshakeRequest = z.infer<typeof HandshakeRequestSchema>;

/** The collection paths of one AI, keyed by tier ("database paths" in the seed). */
export type DatabasePaths = Record<MemoryType, string> & { registry: string; events: string };

export interface HandshakeResponse {
  ai_uuid: string;
  ai_name: string;
  /** Present only when the handshake created the AI: the key is shown this once. */
  api_key?: string;
  api_key_prefix: string | null;
  created: boolean;
  database_paths: DatabasePaths;
}

export interface AiInstance {
  ai_uuid: string;
  ai_name: string;
  created_at: string;
  updated_at: string;
  last_active_at: string | null;
  owner: string;
  api_key_prefix: string | null;
  database_paths: DatabasePaths;
  settings: AiSettings;
  /** Whether an AI client of this AI is connected to a relay right now. */
  connected: boolean;
}

export const CreateAiBodySchema = HandshakeRequestSchema;
/** `PATCH /v1/ais/{ai_uuid}`: rename, or change how the AI's chats are made. */
export const UpdateAiBodySchema = z
  .strictObject({
    ai_name: AiNameSchema.optional(),
    /** Standing instructions put at the top of every chat context. */
    instructions: z.string().max(8_000).optional(),
    /** The AI's chat model (must be on the server's allowlist); null: the server's default. */
    model: z.string().min(1).max(200).nullable().optional(),
    /** Tokens the injected context (memories and session history) may take. */
    context_tokens: z.int().min(200).max(100_000).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'give at least one field to change' });
export type UpdateAiBody = z.infer<typeof UpdateAiBodySchema>;

export interface AiSettings {
  instructions: string;
  model: string | null;
  context_tokens: number;
}

export interface ApiKeyIssued {
  ai_uuid: string;
  api_key: string;
  api_key_prefix: string;
}

export const ListAisQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).max(500).optional(),
});
