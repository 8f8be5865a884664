/** @module memory — memory tiers, memory payloads and the seed's memory endpoints' bodies. */
import { z } from 'zod';
import { storableProblem } from './json.js';
import { named } from './registry.js';

/** The four per-AI tiers, named exactly as the seed's API contract names them. */
export const MEMORY_TYPES = ['working_memory', 'long_term_memory', 'personal_logs', 'archive'] as const;
export const MemoryTypeSchema = z.enum(MEMORY_TYPES);
export type MemoryType = z.infer<typeof MemoryTypeSchema>;

/** Limits that keep one memory document well under Firestore's 1 MiB document size. */
export const LIMITS = {
  contentChars: 100_000,
  metadataBytes: 16_384,
  aiNameChars: 100,
  listPageMax: 100,
  retrieveMax: 500,
} as const;

const byteLength = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value)).length;

/** Free-form JSON on a memory. Checked for what Firestore can store first: that also bounds its depth before it is serialised. */
export const MetadataSchema = z.record(z.string().min(1).max(200), z.unknown()).superRefine((m, ctx) => {
  const problem = storableProblem(m, 'metadata');
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
  else if (byteLength(m) > LIMITS.metadataBytes) {
    ctx.addIssue({
      code: 'custom',
      message: `metadata must serialise to at most ${String(LIMITS.metadataBytes)} bytes of JSON`,
    });
  }
});
export type Metadata = z.infer<typeof MetadataSchema>;

export const ContentSchema = z.string().min(1, 'content must not be empty').max(LIMITS.contentChars);

/** `memory_data`: the seed accepts either the content itself or `{ content, metadata? }`. */
export const MemoryDataSchema = z.union([
  ContentSchema,
  z.strictObject({ content: ContentSchema, metadata: MetadataSchema.optional() }),
]);
export type MemoryData = z.infer<typeof MemoryDataSchema>;

export const AiNameSchema = z
  .string()
  .trim()
  .min(1, 'ai_name must not be empty')
  .max(LIMITS.aiNameChars)
  // eslint-disable-next-line no-control-regex -- reason: rejecting control characters is this pattern's whole job
  .regex(/^[^/\u0000-\u001f]+$/, 'ai_name must not contain "/" or control characters');

export const AiUuidSchema = z.uuid({ message: 'ai_uuid must be a UUID' });
export const MemoryIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, 'ids contain only letters, digits, "_" and "-"')
  // Firestore reserves document ids of the form __…__; passing one on would be the store's error.
  .refine((id) => !/^__.*__$/.test(id), 'ids of the form __…__ are reserved');

const AiScoped = { ai_name: AiNameSchema, ai_uuid: AiUuidSchema };

export const CreateMemoryRequestSchema = z.strictObject({
  ...AiScoped,
  memory_type: MemoryTypeSchema,
  memory_data: MemoryDataSchema,
});
export const EditMemoryRequestSchema = z.strictObject({
  ...AiScoped,
  memory_type: MemoryTypeSchema,
  memory_id: MemoryIdSchema,
  memory_data: MemoryDataSchema,
});
export const DeleteMemoryRequestSchema = z.strictObject({
  ...AiScoped,
  memory_type: MemoryTypeSchema,
  memory_id: MemoryIdSchema,
});
export const MoveMemoryRequestSchema = z.strictObject({
  ...AiScoped,
  from_memory_type: MemoryTypeSchema,
  to_memory_type: MemoryTypeSchema,
  document_id: MemoryIdSchema,
});

/**
 * `filter_query`: a string matches memories whose content contains it (case-insensitive);
 * an object matches memories whose metadata has each of its keys equal to its value.
 */
export const FilterQuerySchema = z.union([
  z.string().min(1).max(500),
  z.record(z.string().min(1).max(200), z.union([z.string(), z.number(), z.boolean(), z.null()])),
]);
export type FilterQuery = z.infer<typeof FilterQuerySchema>;

export const RetrieveMemoriesRequestSchema = z.strictObject({
  ...AiScoped,
  memory_type: MemoryTypeSchema,
  limit: z.int().min(1).max(LIMITS.retrieveMax).optional(),
  filter_query: FilterQuerySchema.optional(),
});

export type CreateMemoryRequest = z.infer<typeof CreateMemoryRequestSchema>;
export type EditMemoryRequest = z.infer<typeof EditMemoryRequestSchema>;
export type DeleteMemoryRequest = z.infer<typeof DeleteMemoryRequestSchema>;
export type MoveMemoryRequest = z.infer<typeof MoveMemoryRequestSchema>;
export type RetrieveMemoriesRequest = z.infer<typeof RetrieveMemoriesRequestSchema>;

/** The server's own writers: they act for an AI without a key (their `id` names the job). */
export const SERVICE_ACTORS = ['extraction', 'consolidation', 'import'] as const;
export type ServiceActor = (typeof SERVICE_ACTORS)[number];

/**
 * Who did something: an AI through its key, an administrator through Firebase Auth, or one of the
 * server's own writers (extraction from a conversation, consolidation, an import).
 */
export const ActorSchema = named(
  'Actor',
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('ai_key'), id: z.string() }),
    z.strictObject({ kind: z.literal('admin'), id: z.string() }),
    z.strictObject({ kind: z.enum(SERVICE_ACTORS), id: z.string() }),
  ]),
);
export type Actor = z.infer<typeof ActorSchema>;

/** An ISO 8601 time as the API writes it (always UTC, with milliseconds). */
export const TimeSchema = z.iso.datetime({ offset: true });

/**
 * Where a memory the server wrote came from: for extraction, the job and the exchange's session
 * and turns, so "why does it believe this?" has an answer.
 */
export const MemoryOriginSchema = named(
  'MemoryOrigin',
  z.strictObject({
    kind: z.enum(SERVICE_ACTORS),
    /** The job that wrote it (an extraction id). */
    job_id: z.string(),
    session_id: z.string().nullable(),
    turn_ids: z.array(z.string()),
  }),
);
export type MemoryOrigin = z.infer<typeof MemoryOriginSchema>;

/** How often a memory was stated again in later exchanges (extraction's duplicates). */
export const ConfirmationsSchema = z.strictObject({
  count: z.int().min(1),
  last_at: z.iso.datetime({ offset: true }),
  /** The extraction that confirmed it last. */
  last_job_id: z.string(),
});

/** A memory as the API returns it. Times are ISO 8601 strings. */
export const MemorySchema = named(
  'Memory',
  z.strictObject({
    memory_id: z.string(),
    memory_type: MemoryTypeSchema,
    content: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    created_at: TimeSchema,
    updated_at: TimeSchema,
    created_by: ActorSchema,
    updated_by: ActorSchema,
    /** The endpoint that created the memory (e.g. `POST /create_memory`). */
    source: z.string(),
    moved_from: MemoryTypeSchema.nullable(),
    moved_at: TimeSchema.nullable(),
    /** Present on memories the server wrote itself (extraction). */
    origin: MemoryOriginSchema.optional(),
    /** Present once a later memory replaced this one (it then lives in the archive). */
    superseded_by: z.string().optional(),
    /** Present once an exchange stated this memory again. */
    confirmations: ConfirmationsSchema.optional(),
  }),
);
export type Memory = z.infer<typeof MemorySchema>;

/**
 * What a listing adds when it stopped at the response byte budget (functions/src/http/responseCap.ts):
 * `truncated: true`, and a `next_cursor` that continues after the last item kept.
 */
export const Truncated = { truncated: z.literal(true).optional() };

/** A page of one tier, newest first; `next_cursor` null at the end. */
export const MemoryPageSchema = named(
  'MemoryPage',
  z.strictObject({ memories: z.array(MemorySchema), next_cursor: z.string().nullable(), ...Truncated }),
);
export type MemoryPage = z.infer<typeof MemoryPageSchema>;

/** What a create, an edit or a move answers: the memory as the change left it, and the change's event. */
export const MemoryChangeSchema = named(
  'MemoryChange',
  z.strictObject({ memory_id: z.string(), memory: MemorySchema, event_id: z.string() }),
);
export type MemoryChange = z.infer<typeof MemoryChangeSchema>;

/** What a delete answers (the seed's `/delete_memory` and the resource API's DELETE alike). */
export const MemoryDeletionSchema = named(
  'MemoryDeletion',
  z.strictObject({
    memory_id: z.string(),
    memory_type: MemoryTypeSchema,
    deleted: z.literal(true),
    event_id: z.string(),
  }),
);
export type MemoryDeletion = z.infer<typeof MemoryDeletionSchema>;

/**
 * `POST /retrieve_memories` (the seed's): `count` is how many `memories` came back; a cut answer
 * has `truncated` and a `next_cursor` for `GET /v1/ais/{ai_uuid}/memories/{memory_type}`.
 */
export const RetrievedMemoriesSchema = named(
  'RetrievedMemories',
  z.strictObject({
    memories: z.array(MemorySchema),
    count: z.int().min(0),
    ...Truncated,
    next_cursor: z.string().nullable().optional(),
  }),
);
export type RetrievedMemories = z.infer<typeof RetrievedMemoriesSchema>;

/** Resource-API bodies (the console and new clients). */
export const CreateMemoryBodySchema = z.strictObject({
  content: ContentSchema,
  metadata: MetadataSchema.optional(),
});
export const EditMemoryBodySchema = z
  .strictObject({ content: ContentSchema.optional(), metadata: MetadataSchema.optional() })
  .refine((b) => b.content !== undefined || b.metadata !== undefined, {
    message: 'give content, metadata or both',
  });
export const MoveMemoryBodySchema = z.strictObject({ to_memory_type: MemoryTypeSchema });

/**
 * Query string of `GET /v1/ais/{ai_uuid}/memories/{memory_type}`. Metadata filters travel as
 * `meta.<key>=<value>` parameters; the route lifts them out before this schema runs.
 */
/** A time Firestore can hold: from year 1 to the end of year 9999, UTC. */
const StoredTimeSchema = z.iso.datetime({ offset: true }).refine((v) => {
  const ms = Date.parse(v);
  return ms >= -62_135_596_800_000 && ms <= 253_402_300_799_999;
}, 'a time between 0001-01-01 and 9999-12-31 (UTC)');

export const ListMemoriesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(LIMITS.listPageMax).optional(),
  cursor: z.string().min(1).max(500).optional(),
  q: z.string().min(1).max(500).optional(),
  /** Words the content must all contain (any form: stems); uses the blind index of an encrypted AI. */
  keyword: z.string().min(1).max(500).optional(),
  created_after: StoredTimeSchema.optional(),
  created_before: StoredTimeSchema.optional(),
});
export type ListMemoriesQuery = z.infer<typeof ListMemoriesQuerySchema>;
