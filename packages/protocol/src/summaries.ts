/**
 * @module summaries — rolling session summaries: an AI's summary settings, what a summary covers,
 * what the event log says about a summary, and a session's summary as the API shows it.
 *
 * A summary is one working-memory entry per chat session (`metadata.kind: session_summary`), updated
 * in place every `every_turns` turns, so its versions are the earlier summaries. A new summary
 * replaces the previous one only when it keeps the previous summary's facts and the pinned facts
 * (names, numbers, dates, decisions) of the turns it adds, checked in code and by the model.
 */
import { z } from 'zod';
import { MemoryIdSchema, TimeSchema } from './memory.js';
import { named } from './registry.js';

export const SummarySettingsSchema = named(
  'SummarySettings',
  z.strictObject({
    /** Whether sessions of this AI are summarised (only ever with a model configured). */
    enabled: z.boolean(),
    /** A summary is written after every this many turns of a session. */
    every_turns: z.int().min(2).max(1_000),
  }),
);
export type SummarySettings = z.infer<typeof SummarySettingsSchema>;

export const DEFAULT_SUMMARY_SETTINGS: SummarySettings = { enabled: true, every_turns: 10 };

/** `PATCH /v1/ais/{ai_uuid}/summaries`: any of the settings. */
export const UpdateSummarySettingsSchema = SummarySettingsSchema.partial().refine((b) => Object.keys(b).length > 0, {
  message: 'give at least one setting to change',
});
export type UpdateSummarySettings = z.infer<typeof UpdateSummarySettingsSchema>;

/** How many summaries were written, rejected by the check, or failed (the model gave nothing usable). */
export const SummaryCountsSchema = z.strictObject({
  written: z.int().min(0),
  rejected: z.int().min(0),
  failed: z.int().min(0),
});
export type SummaryCounts = z.infer<typeof SummaryCountsSchema>;

/** `GET /v1/ais/{ai_uuid}/summaries`: the settings, whether summaries run, and the AI's counts. */
export const SummaryStatusSchema = named(
  'SummaryStatus',
  z.strictObject({
    settings: SummarySettingsSchema,
    model_configured: z.boolean(),
    /** The model a summary asks: the AI's chat model, else the server's default; null without a model. */
    model: z.string().nullable(),
    active: z.boolean(),
    counts: SummaryCountsSchema,
  }),
);
export type SummaryStatus = z.infer<typeof SummaryStatusSchema>;

/** The turns a summary covers: the session's first turn to `last_turn`, `turns` of them. */
export const SummaryCoversSchema = z.strictObject({
  first_turn: z.string(),
  last_turn: z.string(),
  turns: z.int().min(1),
});
export type SummaryCovers = z.infer<typeof SummaryCoversSchema>;

/** A fact of the previous summary or the covered turns that a rejected summary left out. */
export const PinnedFactSchema = z.strictObject({
  kind: z.enum(['name', 'number', 'date', 'decision']),
  text: z.string(),
});
export type PinnedFact = z.infer<typeof PinnedFactSchema>;

/** Why a summary did not replace the previous one. */
export const SUMMARY_REJECTIONS = ['empty', 'too_long', 'dropped_facts', 'model_check_failed'] as const;

/**
 * What a summary event says (`summary_rejected`, `summary_failed`, and the summary memory's own
 * `created` / `updated` event, which is how a written summary shows in the log).
 */
export const SummaryEventInfoSchema = named(
  'SummaryEventInfo',
  z.strictObject({
    /** The summary job (the id of the turn that triggered it). */
    job_id: z.string(),
    session_id: z.string(),
    /** For a written summary: the turns it covers. */
    covers: SummaryCoversSchema.optional(),
    /** For a rejection: one of SUMMARY_REJECTIONS; for a failure: the model failure's code. */
    reason: z.string().optional(),
    /**
     * For `dropped_facts`: the kind of each fact the code check found missing (at most 20). The facts
     * themselves are the session's text: `GET …/sessions/{session_id}/summary` shows them
     * (`last_rejection`), and they are stored sealed, as the event log's fields are not.
     */
    dropped_kinds: z.array(PinnedFactSchema.shape.kind).optional(),
    /** For `model_check_failed`: how many facts the model's check named as missing (at most 20). */
    missing_count: z.int().min(0).optional(),
  }),
);
export type SummaryEventInfo = z.infer<typeof SummaryEventInfoSchema>;

/** `GET /v1/ais/{ai_uuid}/sessions/{session_id}/summary`: the summary in force and the session's counts. */
export const SessionSummarySchema = named(
  'SessionSummary',
  z.strictObject({
    session_id: z.string(),
    /** The summary memory (working memory, or wherever it was moved since); null before the first summary. */
    memory_id: MemoryIdSchema.nullable(),
    content: z.string().nullable(),
    covers: SummaryCoversSchema.nullable(),
    updated_at: TimeSchema.nullable(),
    counts: SummaryCountsSchema,
    /** The latest summary that did not replace the one in force, and why. */
    last_rejection: z
      .strictObject({
        job_id: z.string(),
        reason: z.string(),
        at: TimeSchema,
        dropped: z.array(PinnedFactSchema),
        missing: z.array(z.string()),
      })
      .nullable(),
  }),
);
export type SessionSummary = z.infer<typeof SessionSummarySchema>;
