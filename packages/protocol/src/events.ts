/**
 * @module events — the per-AI event log: one entry per memory change, and the progress of the
 * server's own work for the AI (extraction, import), numbered in the same sequence so one cursor follows both.
 */
import { z } from 'zod';
import { ActorSchema, MemoryIdSchema, MemorySchema, MemoryTypeSchema, TimeSchema, Truncated } from './memory.js';
import { named } from './registry.js';
import { SummaryEventInfoSchema } from './summaries.js';

/** Changes of one memory. `confirmed`: an exchange stated the memory again (extraction's duplicate). */
export const MEMORY_CHANGE_TYPES = ['created', 'updated', 'deleted', 'moved', 'confirmed'] as const;
/** The AI's extraction jobs: no memory changes with these (`memory_id` and `memory_type` are null). */
export const EXTRACTION_EVENT_TYPES = [
  'extraction_started',
  'extraction_finished',
  'extraction_failed',
  'candidate_rejected',
  'candidate_queued',
] as const;
/** An import's progress (brain/): no memory changes with these either; each write is its own event. */
export const IMPORT_EVENT_TYPES = ['import_started', 'import_progress', 'import_finished', 'import_failed'] as const;
/**
 * Session summaries (functions/src/consolidation/summaries/): a summary that did not replace the one
 * in force, and a summary job the model gave nothing usable for. A written summary is its memory's
 * own `created` / `updated` event, carrying `summary`.
 */
export const SUMMARY_EVENT_TYPES = ['summary_rejected', 'summary_failed'] as const;
export const MEMORY_EVENT_TYPES = [
  ...MEMORY_CHANGE_TYPES,
  ...EXTRACTION_EVENT_TYPES,
  ...IMPORT_EVENT_TYPES,
  ...SUMMARY_EVENT_TYPES,
] as const;
export type MemoryEventType = (typeof MEMORY_EVENT_TYPES)[number];
export type MemoryChangeType = (typeof MEMORY_CHANGE_TYPES)[number];
export const isMemoryChange = (type: MemoryEventType): type is MemoryChangeType =>
  (MEMORY_CHANGE_TYPES as readonly string[]).includes(type);

/**
 * What an extraction event (or a change extraction made) says about the job: which one, and for a
 * decision, what was decided and why.
 */
export const ExtractionEventInfoSchema = named(
  'ExtractionEventInfo',
  z.strictObject({
    extraction_id: z.string(),
    /** `added`, `duplicate`, `superseded`, `rejected` or `queued` for a decision; absent otherwise. */
    decision: z.enum(['added', 'duplicate', 'superseded', 'rejected', 'queued']).optional(),
    /** For a rejection: the gate's reason (e.g. `secret`, `too_short`); for a failure: the failure's code. */
    reason: z.string().optional(),
    /** The candidate as proposed, for rejections other than secrets and personal data (never stored then). */
    candidate: z.string().optional(),
    /** For `extraction_finished`: how many of each decision. */
    counts: z.record(z.string(), z.int().min(0)).optional(),
    /** For `superseded`: the memory that was replaced. */
    superseded: z.string().optional(),
  }),
);
export type ExtractionEventInfo = z.infer<typeof ExtractionEventInfoSchema>;

/** What an import's progress event says: which import, how far, and how it ended. */
export const ImportEventInfoSchema = named(
  'ImportEventInfo',
  z.strictObject({
    /** The first 24 hex digits of the file's SHA-256: the same file is the same import. */
    import_id: z.string(),
    /** Items of the plan carried out so far, and how many it has (memories, deletes, sessions, vectors). */
    done: z.int().min(0),
    total: z.int().min(0),
    /** For `import_finished`: the plan's counts (added, changed, deleted, skipped). */
    counts: z.record(z.string(), z.int().min(0)).optional(),
    /** For `import_failed`: the failure's code. */
    reason: z.string().optional(),
  }),
);
export type ImportEventInfo = z.infer<typeof ImportEventInfoSchema>;

/** An entry of `ai_registry/{ai_uuid}/events`, as the API and the relay present it. */
export const MemoryEventSchema = named(
  'MemoryEvent',
  z.strictObject({
    /** The event's number in its AI's log, zero-padded: ids sort in log order. */
    event_id: z.string(),
    /** The same number: 1, 2, 3… with no gaps, per AI. */
    seq: z.int().min(1),
    ai_uuid: z.string(),
    type: z.enum(MEMORY_EVENT_TYPES),
    /** Null for the extraction events, which change no memory. */
    memory_id: z.string().nullable(),
    /** The tier the memory is in after the change (for `deleted`: the tier it was in); null as memory_id. */
    memory_type: MemoryTypeSchema.nullable(),
    from_memory_type: MemoryTypeSchema.nullable(),
    to_memory_type: MemoryTypeSchema.nullable(),
    at: TimeSchema,
    actor: ActorSchema,
    /** The endpoint that made the change. */
    via: z.string(),
    /** The memory as the change left it; null after a delete, and null on a forgotten event. */
    memory: MemorySchema.nullable(),
    /**
     * Present (true) once the memory this event is about was deleted: the event keeps its place in
     * the log (seq, type, ids, tiers, time, actor) but no longer carries the memory (`memory` is
     * null, and an extraction's `candidate` text is gone). See functions/src/forget/README.md.
     */
    forgotten: z.literal(true).optional(),
    /** Present on extraction events and on the changes an extraction made. */
    extraction: ExtractionEventInfoSchema.optional(),
    /** Present on an import's progress events (`import_*`). */
    import: ImportEventInfoSchema.optional(),
    /** Present on summary events and on the summary memory's own changes. */
    summary: SummaryEventInfoSchema.optional(),
  }),
);
export type MemoryEvent = z.infer<typeof MemoryEventSchema>;

/** `GET /v1/ais/{ai_uuid}/events`: in log order; `next_cursor` is what `?after=` takes next. */
export const EventPageSchema = named(
  'EventPage',
  z.strictObject({ events: z.array(MemoryEventSchema), next_cursor: z.string().nullable(), ...Truncated }),
);
export type EventPage = z.infer<typeof EventPageSchema>;

export const EventsQuerySchema = z.strictObject({
  after: MemoryIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type EventsQuery = z.infer<typeof EventsQuerySchema>;
