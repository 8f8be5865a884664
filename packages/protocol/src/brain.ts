/**
 * @module brain — the `.brain` bundle (an AI taken away whole) and the export and import routes'
 * shapes. The format is described in functions/src/brain/README.md; this module is its schema.
 *
 * A bundle is NDJSON. Format /2 (written now): a header line (what is known before reading the
 * AI), one record per line, and a trailer line (counts and the SHA-256 of everything before it),
 * so a bundle is written as the AI is read. Format /1 (still read): a manifest line holding every
 * record's digest first, then the records. Each record line is the canonical JSON of the record
 * (keys sorted, no spaces), so its bytes are always the same. With a passphrase, /2 is a stream
 * of JWE lines (see the README); /1 was one JWE.
 */
import { z } from 'zod';
import { AiSettingsSchema } from './ai.js';
import { MemoryEventSchema } from './events.js';
import { ExtractionSettingsSchema, MemoryVersionSchema } from './extraction.js';
import { MemoryIdSchema, MemorySchema, MemoryTypeSchema, TimeSchema } from './memory.js';
import { named } from './registry.js';

/** The format this server writes. */
export const BRAIN_FORMAT = 'memory-weaver.brain/2';
/** The earlier format: manifest first, with every record's digest. Still imported, no longer written. */
export const BRAIN_FORMAT_V1 = 'memory-weaver.brain/1';
/** Every format this server reads. A bundle naming another is refused. */
export const BRAIN_FORMATS = [BRAIN_FORMAT, BRAIN_FORMAT_V1] as const;
/** The header that carries a bundle's passphrase: never the URL, which ends up in logs. */
export const BRAIN_PASSPHRASE_HEADER = 'x-brain-passphrase';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lowercase hex digits');
const Count = z.int().min(0);

export const BRAIN_INCLUDES = ['events', 'vectors'] as const;

const BrainAiSchema = z.strictObject({
  ai_name: z.string(),
  settings: AiSettingsSchema,
  extraction: ExtractionSettingsSchema,
});
const EmbeddingSchema = z.strictObject({ model: z.string(), dimensions: z.int().min(0) });
const CountsSchema = z.strictObject({
  memories: z.record(MemoryTypeSchema, Count),
  versions: Count,
  sessions: Count,
  turns: Count,
  events: Count,
  vectors: Count,
});
export type BrainCounts = z.infer<typeof CountsSchema>;

/** Format /2, line 1: what the bundle is, known before a record is read. */
export const BrainHeaderSchema = named(
  'BrainHeader',
  z.strictObject({
    type: z.literal('header'),
    format: z.literal(BRAIN_FORMAT),
    ai: BrainAiSchema,
    embedding: EmbeddingSchema,
    include: z.array(z.enum(BRAIN_INCLUDES)),
  }),
);
export type BrainHeader = z.infer<typeof BrainHeaderSchema>;

/** Format /2, last line: what was written, and the digest of every byte before this line. */
export const BrainTrailerSchema = named(
  'BrainTrailer',
  z.strictObject({
    type: z.literal('trailer'),
    /** How many record lines lie between the header and this line. */
    records: Count,
    counts: CountsSchema,
    /** The SHA-256 of the header line and every record line, each with its "\n". */
    sha256: Sha256,
  }),
);
export type BrainTrailer = z.infer<typeof BrainTrailerSchema>;

/** Format /1, line 1 (read only): the manifest with every record's digest. */
export const BrainManifestSchema = named(
  'BrainManifest',
  z.strictObject({
    type: z.literal('manifest'),
    format: z.literal(BRAIN_FORMAT_V1),
    ai: BrainAiSchema,
    embedding: EmbeddingSchema,
    include: z.array(z.enum(BRAIN_INCLUDES)),
    counts: CountsSchema,
    /** How many record lines follow the manifest: fewer is a truncated bundle. */
    records: Count,
    /** The SHA-256 of each record line (its bytes, without the newline), in order. */
    digests: z.array(Sha256),
    /** The SHA-256 of all record lines, each followed by "\n". */
    sha256: Sha256,
  }),
);
export type BrainManifest = z.infer<typeof BrainManifestSchema>;

/** A chat turn as a bundle carries it: who said it is kept by kind and id, as stored. */
export const BrainTurnSchema = z.strictObject({
  chat_id: MemoryIdSchema,
  message: z.string(),
  response: z.string(),
  user_kind: z.string(),
  user_id: z.string(),
  timestamp: TimeSchema,
  model: z.string(),
  recall_only: z.boolean(),
  memories_used: z.array(z.string()),
});
export type BrainTurn = z.infer<typeof BrainTurnSchema>;

export const BrainMemoryRecordSchema = z.strictObject({
  type: z.literal('memory'),
  memory: MemorySchema,
  /** Its earlier states, oldest first. */
  versions: z.array(MemoryVersionSchema),
});
export const BrainSessionRecordSchema = z.strictObject({
  type: z.literal('session'),
  session_id: MemoryIdSchema,
  name: z.string(),
  user_kind: z.string(),
  user_id: z.string(),
  created_at: TimeSchema,
  updated_at: TimeSchema,
  /** Oldest first. */
  turns: z.array(BrainTurnSchema),
});
export const BrainEventRecordSchema = z.strictObject({ type: z.literal('event'), event: MemoryEventSchema });
export const BrainVectorRecordSchema = z.strictObject({
  type: z.literal('vector'),
  memory_id: MemoryIdSchema,
  model: z.string(),
  /** SHA-256 (base64url) of the content the vector was made from. */
  content_key: z.string(),
  vector: z.array(z.number()),
});

export const BrainRecordSchema = z.discriminatedUnion('type', [
  BrainMemoryRecordSchema,
  BrainSessionRecordSchema,
  BrainEventRecordSchema,
  BrainVectorRecordSchema,
]);
export type BrainRecord = z.infer<typeof BrainRecordSchema>;
export type BrainMemoryRecord = z.infer<typeof BrainMemoryRecordSchema>;
export type BrainSessionRecord = z.infer<typeof BrainSessionRecordSchema>;
export type BrainVectorRecord = z.infer<typeof BrainVectorRecordSchema>;

/** `GET /v1/ais/{ai_uuid}/export?include=events,vectors`. */
export const ExportQuerySchema = z.strictObject({
  include: z
    .string()
    .regex(/^(events|vectors)(,(events|vectors))*$/, 'include lists "events" and/or "vectors", comma-separated')
    .optional(),
});

export const IMPORT_MODES = ['dry_run', 'merge', 'overwrite', 'skip_existing'] as const;
export const IMPORT_SOURCES = ['brain', 'mem0', 'letta'] as const;

/**
 * `POST /v1/ais/import` and `POST /v1/ais/{ai_uuid}/import`. `mode=dry_run` plans a merge;
 * `dry_run=true` plans any other mode without writing.
 */
export const ImportQuerySchema = z.strictObject({
  mode: z.enum(IMPORT_MODES).optional(),
  dry_run: z.enum(['true', 'false']).optional(),
  source: z.enum(IMPORT_SOURCES).optional(),
  /** The new AI's name (import into a new AI); the bundle's name by default. */
  ai_name: z.string().min(1).max(100).optional(),
});

const PlanItemSchema = z.strictObject({
  kind: z.enum(['memory', 'session', 'vector']),
  id: z.string(),
  memory_type: MemoryTypeSchema.optional(),
  /** Why it is skipped or changed (`identical`, `exists`, `other_embedding_model`…). */
  reason: z.string().optional(),
});

export const ImportReportSchema = named(
  'ImportReport',
  z.strictObject({
    ai_uuid: z.string().nullable(),
    ai_name: z.string(),
    /** Only when the import made the AI: its first API key, shown once. */
    api_key: z.string().optional(),
    source: z.enum(IMPORT_SOURCES),
    mode: z.enum(['merge', 'overwrite', 'skip_existing']),
    dry_run: z.boolean(),
    added: z.array(PlanItemSchema),
    changed: z.array(PlanItemSchema),
    deleted: z.array(PlanItemSchema),
    skipped: z.array(PlanItemSchema),
    counts: z.strictObject({ added: Count, changed: Count, deleted: Count, skipped: Count }),
  }),
);
export type ImportReport = z.infer<typeof ImportReportSchema>;
export type ImportPlanItem = z.infer<typeof PlanItemSchema>;

/** The export's answer: NDJSON text (`application/x-ndjson`), or JWE lines (`application/jose`) when encrypted. */
export const BrainBundleSchema = named('BrainBundle', z.string());
