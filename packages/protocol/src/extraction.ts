/**
 * @module extraction — memory that learns from conversations: an AI's extraction settings, the
 * observe endpoint's body, an extraction job as the API shows it, the review queue, and a
 * memory's version history.
 */
import { z } from 'zod';
import { ActorSchema, MemorySchema, MemoryTypeSchema, TimeSchema } from './memory.js';
import { named } from './registry.js';

export const PERSONAL_DATA_POLICIES = ['store', 'redact', 'reject'] as const;
export type PersonalDataPolicy = (typeof PERSONAL_DATA_POLICIES)[number];

/** An AI's extraction settings, as stored and as the API shows them. */
export const ExtractionSettingsSchema = named(
  'ExtractionSettings',
  z.strictObject({
    enabled: z.boolean(),
    /** What to remember, in the AI owner's words; added to the extraction prompt. */
    instructions: z.string().max(4_000),
    /** Where new facts go. */
    target_tier: MemoryTypeSchema,
    /** When true, candidates wait in the review queue instead of being written. */
    review: z.boolean(),
    /** What happens to emails, phone numbers and other personal data in a candidate. */
    personal_data: z.enum(PERSONAL_DATA_POLICIES),
  }),
);
export type ExtractionSettings = z.infer<typeof ExtractionSettingsSchema>;

/**
 * Off until turned on per AI: extraction writes memories and adds its own events to the AI's
 * stream, which clients written before it don't expect. One PATCH (or the console's switch) turns it on.
 */
export const DEFAULT_EXTRACTION_SETTINGS: ExtractionSettings = {
  enabled: false,
  instructions: '',
  target_tier: 'long_term_memory',
  review: false,
  personal_data: 'redact',
};

/** `PATCH /v1/ais/{ai_uuid}/extraction`: any of the settings. */
export const UpdateExtractionSettingsSchema = ExtractionSettingsSchema.partial().refine(
  (b) => Object.keys(b).length > 0,
  { message: 'give at least one setting to change' },
);
export type UpdateExtractionSettings = z.infer<typeof UpdateExtractionSettingsSchema>;

/** `GET /v1/ais/{ai_uuid}/extraction`: the settings and whether extraction can run at all. */
export const ExtractionStatusSchema = named(
  'ExtractionStatus',
  z.strictObject({
    settings: ExtractionSettingsSchema,
    /** False when the server has no model configured: extraction is then off whatever the settings say. */
    model_configured: z.boolean(),
    /** The model extraction uses (the AI's chat model, else the server's default); null without a model. */
    model: z.string().nullable(),
    /** True when extraction runs after this AI's exchanges: enabled and a model configured. */
    active: z.boolean(),
  }),
);
export type ExtractionStatus = z.infer<typeof ExtractionStatusSchema>;

const ObservedMessageSchema = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(32_000),
});

/** `POST /v1/ais/{ai_uuid}/observe`: an exchange a client had with its model directly. */
export const ObserveBodySchema = z.strictObject({
  messages: z
    .array(ObservedMessageSchema)
    .min(1)
    .max(50)
    .refine((ms) => ms.some((m) => m.role === 'user' && m.content.trim() !== ''), {
      message: 'messages must include a user message with text',
    }),
  session_id: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_-]+$/, 'session ids contain only letters, digits, "_" and "-"')
    .optional(),
});
export type ObserveBody = z.infer<typeof ObserveBodySchema>;

export const EXTRACTION_STATUSES = ['queued', 'running', 'done', 'failed', 'skipped'] as const;
export type ExtractionJobStatus = (typeof EXTRACTION_STATUSES)[number];

export const DECISIONS = ['added', 'duplicate', 'superseded', 'rejected', 'queued'] as const;
export type Decision = (typeof DECISIONS)[number];

/** One candidate fact and what became of it. */
export const ExtractionDecisionSchema = named(
  'ExtractionDecision',
  z.strictObject({
    index: z.int().min(0),
    decision: z.enum(DECISIONS),
    /** The fact as stored (after redaction); absent for secrets and rejected personal data. */
    content: z.string().optional(),
    /** The gate's reason for a rejection. */
    reason: z.string().optional(),
    /** The memory written (added, superseded), confirmed (duplicate), or proposed (queued). */
    memory_id: z.string().optional(),
    /** For `superseded`: the memory replaced (now in the archive). For `duplicate`: the one confirmed. */
    target_id: z.string().optional(),
    /** Set when an administrator undid the decision. */
    undone: z.boolean().optional(),
  }),
);
export type ExtractionDecision = z.infer<typeof ExtractionDecisionSchema>;

export const ExtractionCountsSchema = z.strictObject({
  added: z.int().min(0),
  duplicate: z.int().min(0),
  superseded: z.int().min(0),
  rejected: z.int().min(0),
  queued: z.int().min(0),
});
export type ExtractionCounts = z.infer<typeof ExtractionCountsSchema>;

/** `GET /v1/ais/{ai_uuid}/extractions/{extraction_id}`. */
export const ExtractionJobSchema = named(
  'ExtractionJob',
  z.strictObject({
    extraction_id: z.string(),
    ai_uuid: z.string(),
    status: z.enum(EXTRACTION_STATUSES),
    /** `chat` (after a completion) or `observe`. */
    source: z.enum(['chat', 'observe']),
    session_id: z.string().nullable(),
    turn_ids: z.array(z.string()),
    created_at: TimeSchema,
    updated_at: TimeSchema,
    finished_at: TimeSchema.nullable(),
    attempts: z.int().min(0),
    counts: ExtractionCountsSchema,
    /** Rejections by the gate's reason. */
    rejected_by_reason: z.record(z.string(), z.int().min(0)),
    decisions: z.array(ExtractionDecisionSchema),
    /** Why the job failed or was skipped (e.g. `model_unavailable`, `model_output_invalid`). */
    error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  }),
);
export type ExtractionJob = z.infer<typeof ExtractionJobSchema>;

/** `POST /v1/ais/{ai_uuid}/observe` answers 202 with the job to follow. */
export const ObserveAcceptedSchema = named(
  'ObserveAccepted',
  z.strictObject({ extraction_id: z.string(), status: z.enum(EXTRACTION_STATUSES), status_url: z.string() }),
);
export type ObserveAccepted = z.infer<typeof ObserveAcceptedSchema>;

export const ExtractionJobPageSchema = named(
  'ExtractionJobPage',
  z.strictObject({ extractions: z.array(ExtractionJobSchema), next_cursor: z.string().nullable() }),
);
export type ExtractionJobPage = z.infer<typeof ExtractionJobPageSchema>;

export const ListExtractionsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).max(500).optional(),
});

/** A candidate waiting for an administrator (review mode). */
export const ReviewItemSchema = named(
  'ReviewItem',
  z.strictObject({
    review_id: z.string(),
    extraction_id: z.string(),
    content: z.string(),
    /** What the pipeline would do on approval: add, or supersede `target_id`. */
    proposed: z.enum(['add', 'supersede']),
    target_id: z.string().nullable(),
    target_content: z.string().nullable(),
    target_tier: MemoryTypeSchema,
    session_id: z.string().nullable(),
    turn_ids: z.array(z.string()),
    /** The user's words the candidate came from. */
    source_text: z.string(),
    created_at: TimeSchema,
  }),
);
export type ReviewItem = z.infer<typeof ReviewItemSchema>;

export const ReviewPageSchema = named('ReviewPage', z.strictObject({ items: z.array(ReviewItemSchema) }));
export type ReviewPage = z.infer<typeof ReviewPageSchema>;

/** What approving or rejecting a candidate answers. */
export const ReviewOutcomeSchema = named(
  'ReviewOutcome',
  z.strictObject({
    review_id: z.string(),
    outcome: z.enum(['approved', 'rejected']),
    memory_id: z.string().nullable(),
    event_id: z.string().nullable(),
  }),
);
export type ReviewOutcome = z.infer<typeof ReviewOutcomeSchema>;

/** One earlier state of a memory, kept when a change replaced it. */
export const MemoryVersionSchema = named(
  'MemoryVersion',
  z.strictObject({
    /** The event id of the change that replaced this state: versions sort in log order. */
    version_id: z.string(),
    /** What replaced it: `updated`, `moved`, `superseded`, `confirmed` or `restored`. */
    change: z.string(),
    replaced_at: TimeSchema,
    replaced_by: ActorSchema,
    memory: MemorySchema,
  }),
);
export type MemoryVersion = z.infer<typeof MemoryVersionSchema>;

export const MemoryVersionsSchema = named(
  'MemoryVersions',
  z.strictObject({
    memory_id: z.string(),
    /** The memory as it is now. */
    current: MemorySchema,
    /** Earlier states, newest first. */
    versions: z.array(MemoryVersionSchema),
  }),
);
export type MemoryVersions = z.infer<typeof MemoryVersionsSchema>;

export const HygieneQuerySchema = z.strictObject({ days: z.coerce.number().int().min(1).max(90).optional() });

/** Per day, what extraction decided for an AI (the console's hygiene charts). */
export const HygieneDaySchema = z.strictObject({
  day: z.string(),
  added: z.int().min(0),
  duplicate: z.int().min(0),
  superseded: z.int().min(0),
  rejected: z.int().min(0),
  queued: z.int().min(0),
});
export const HygieneSchema = named(
  'Hygiene',
  z.strictObject({
    days: z.array(HygieneDaySchema),
    totals: ExtractionCountsSchema,
    rejected_by_reason: z.record(z.string(), z.int().min(0)),
    awaiting_review: z.int().min(0),
  }),
);
export type Hygiene = z.infer<typeof HygieneSchema>;
