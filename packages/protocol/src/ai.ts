/** @module ai — AI instances: the handshake and the resource API's bodies. */
import { z } from 'zod';
import { AiNameSchema, MEMORY_TYPES, TimeSchema, type MemoryType } from './memory.js';
import { named } from './registry.js';

export const HandshakeRequestSchema = z.strictObject({ ai_name: AiNameSchema });
export type HandshakeRequest = z.infer<typeof HandshakeRequestSchema>;

/** The collection paths of one AI, keyed by tier ("database paths" in the seed). */
export const DatabasePathsSchema = named(
  'DatabasePaths',
  z.strictObject({
    registry: z.string(),
    events: z.string(),
    ...(Object.fromEntries(MEMORY_TYPES.map((t) => [t, z.string()])) as Record<MemoryType, z.ZodString>),
  }),
);
export type DatabasePaths = z.infer<typeof DatabasePathsSchema>;

/** The handshake's answer (and `POST /v1/ais`'s). */
export const HandshakeResponseSchema = named(
  'HandshakeResponse',
  z.strictObject({
    ai_uuid: z.string(),
    ai_name: z.string(),
    /** Present only when the handshake created the AI: the key is shown this once. */
    api_key: z.string().optional(),
    api_key_prefix: z.string().nullable(),
    created: z.boolean(),
    database_paths: DatabasePathsSchema,
  }),
);
export type HandshakeResponse = z.infer<typeof HandshakeResponseSchema>;

/** How an AI's chats are made (`PATCH /v1/ais/{ai_uuid}` changes them). */
export const AiSettingsSchema = named(
  'AiSettings',
  z.strictObject({ instructions: z.string(), model: z.string().nullable(), context_tokens: z.int() }),
);
export type AiSettings = z.infer<typeof AiSettingsSchema>;

export const AiInstanceSchema = named(
  'AiInstance',
  z.strictObject({
    ai_uuid: z.string(),
    ai_name: z.string(),
    created_at: TimeSchema,
    updated_at: TimeSchema,
    last_active_at: TimeSchema.nullable(),
    owner: z.string(),
    api_key_prefix: z.string().nullable(),
    database_paths: DatabasePathsSchema,
    settings: AiSettingsSchema,
    /** Whether an AI client of this AI is connected to a relay right now. */
    connected: z.boolean(),
  }),
);
export type AiInstance = z.infer<typeof AiInstanceSchema>;

/** `GET /v1/ais`: newest first; a key sees only its own AI. */
export const AiPageSchema = named(
  'AiPage',
  z.strictObject({ ais: z.array(AiInstanceSchema), next_cursor: z.string().nullable() }),
);
export type AiPage = z.infer<typeof AiPageSchema>;

export const AiDeletedSchema = named('AiDeleted', z.strictObject({ ai_uuid: z.string(), deleted: z.literal(true) }));
export type AiDeleted = z.infer<typeof AiDeletedSchema>;

/** `GET /v1/ais/{ai_uuid}/stats`: how many memories each tier holds. */
export const AiStatsSchema = named(
  'AiStats',
  z.strictObject({
    ai_uuid: z.string(),
    memory_counts: z.strictObject(
      Object.fromEntries(MEMORY_TYPES.map((t) => [t, z.int().min(0)])) as Record<MemoryType, z.ZodInt>,
    ),
  }),
);
export type AiStats = z.infer<typeof AiStatsSchema>;

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

/** A rotation's answer: the new key, shown this once. */
export const ApiKeyIssuedSchema = named(
  'ApiKeyIssued',
  z.strictObject({ ai_uuid: z.string(), api_key: z.string(), api_key_prefix: z.string() }),
);
export type ApiKeyIssued = z.infer<typeof ApiKeyIssuedSchema>;

/** A revocation's answer: which key stopped (null when the AI had none). */
export const ApiKeyRevokedSchema = named(
  'ApiKeyRevoked',
  z.strictObject({ ai_uuid: z.string(), revoked_key_prefix: z.string().nullable() }),
);
export type ApiKeyRevoked = z.infer<typeof ApiKeyRevokedSchema>;

export const ListAisQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).max(500).optional(),
});
export type ListAisQuery = z.infer<typeof ListAisQuerySchema>;
