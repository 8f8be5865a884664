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
}

export const CreateAiBodySchema = HandshakeRequestSchema;
export const RenameAiBodySchema = z.strictObject({ ai_name: AiNameSchema });

export interface ApiKeyIssued {
  ai_uuid: string;
  api_key: string;
  api_key_prefix: string;
}

export const ListAisQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).max(500).optional(),
});
