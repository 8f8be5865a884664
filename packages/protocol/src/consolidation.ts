/**
 * @module consolidation — tidying an AI's memory: its consolidation settings, a run's plan (what a
 * run does, shown by a dry run and then executed exactly), a run's outcome, and an undo.
 */
import { z } from 'zod';
import { MemoryIdSchema, MemoryTypeSchema, TimeSchema } from './memory.js';
import { named } from './registry.js';

/** An AI's consolidation settings, as stored under `consolidation` in its registry entry and as the API shows them. */
export const ConsolidationSettingsSchema = named(
  'ConsolidationSettings',
  z.strictObject({
    /** Whether the scheduled run consolidates this AI (a run on demand works either way). */
    scheduled: z.boolean(),
    /** Working-memory entries not changed for this many hours move to the archive (0: every entry). */
    working_memory_max_age_hours: z.number().min(0).max(87_600),
    /** Long-term memories not retrieved for this many days are proposed for archiving (never archived by a run). */
    unretrieved_days: z.int().min(1).max(3_650),
  }),
);
export type ConsolidationSettings = z.infer<typeof ConsolidationSettingsSchema>;

export const DEFAULT_CONSOLIDATION_SETTINGS: ConsolidationSettings = {
  scheduled: true,
  working_memory_max_age_hours: 7 * 24,
  unretrieved_days: 90,
};

/** `PATCH /v1/ais/{ai_uuid}/consolidation`: any of the settings. */
export const UpdateConsolidationSettingsSchema = ConsolidationSettingsSchema.partial().refine(
  (b) => Object.keys(b).length > 0,
  { message: 'give at least one setting to change' },
);
export type UpdateConsolidationSettings = z.infer<typeof UpdateConsolidationSettingsSchema>;

/** `POST /v1/ais/{ai_uuid}/consolidate`. */
export const ConsolidateBodySchema = z
  .strictObject({
    /** Plan only: answers what a run would do and stores the plan; nothing moves. */
    dry_run: z.boolean().optional(),
    /** Execute (or resume) this run's stored plan instead of planning a new one: a dry run's id, or a run stopped half-way. */
    run_id: MemoryIdSchema.optional(),
    /** Execute at most this many batches now (a run left `partial` continues when posted again with its run_id). */
    max_batches: z.int().min(1).max(1_000).optional(),
  })
  .refine((b) => !(b.dry_run === true && b.run_id !== undefined), {
    message: 'a dry run plans a new run: leave out run_id, or leave out dry_run to execute that run',
    path: ['run_id'],
  });
export type ConsolidateBody = z.infer<typeof ConsolidateBodySchema>;

export const CONSOLIDATION_RUN_STATUSES = ['planned', 'running', 'partial', 'done', 'stopped', 'undone'] as const;
export type ConsolidationRunStatus = (typeof CONSOLIDATION_RUN_STATUSES)[number];

/** One step of a plan: a memory to move, and why. */
export const ConsolidationActionSchema = z.strictObject({
  memory_id: MemoryIdSchema,
  from_memory_type: MemoryTypeSchema,
  to_memory_type: MemoryTypeSchema,
  reason: z.string(),
  /** The memory's `updated_at` when planned: a memory changed since is skipped, its change kept. */
  planned_updated_at: TimeSchema,
});
export type ConsolidationAction = z.infer<typeof ConsolidationActionSchema>;

/** What happened to one action when the run executed it. */
export const ConsolidationOutcomeSchema = z.strictObject({
  memory_id: MemoryIdSchema,
  outcome: z.enum(['moved', 'skipped']),
  /** For a skip: `changed_since_plan` or `gone`. */
  reason: z.string().optional(),
});

/** A long-term memory proposed for archiving: listed, never moved by a run. */
export const ArchiveProposalSchema = z.strictObject({
  memory_id: MemoryIdSchema,
  reason: z.string(),
});

export const ConsolidationRunSchema = named(
  'ConsolidationRun',
  z.strictObject({
    run_id: MemoryIdSchema,
    ai_uuid: z.string(),
    status: z.enum(CONSOLIDATION_RUN_STATUSES),
    dry_run: z.boolean(),
    created_at: TimeSchema,
    updated_at: TimeSchema,
    finished_at: TimeSchema.nullable(),
    settings: ConsolidationSettingsSchema,
    /** The plan, fixed when the run was planned; executing the run does exactly this. */
    actions: z.array(ConsolidationActionSchema),
    /** Whether retrieval is measured, so that unretrieved long-term memories can be known. */
    retrieval_tracked: z.boolean(),
    proposals: z.array(ArchiveProposalSchema),
    /** Actions executed so far, in plan order. */
    outcomes: z.array(ConsolidationOutcomeSchema),
    counts: z.strictObject({
      planned: z.int().min(0),
      moved: z.int().min(0),
      skipped: z.int().min(0),
      undone: z.int().min(0),
    }),
    /** Why a run stopped before its end (`ai_deleted`), else null. */
    stopped_reason: z.string().nullable(),
    /** True when the plan reached the per-run bound: another run continues with the rest. */
    more: z.boolean(),
  }),
);
export type ConsolidationRun = z.infer<typeof ConsolidationRunSchema>;

export const ConsolidationRunPageSchema = named(
  'ConsolidationRunPage',
  z.strictObject({ runs: z.array(ConsolidationRunSchema) }),
);

export const ListConsolidationsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(50).optional(),
});

/** `POST /v1/ais/{ai_uuid}/consolidations/{run_id}/undo`: each move of the run moved back, unless changed since. */
export const ConsolidationUndoSchema = named(
  'ConsolidationUndo',
  z.strictObject({
    run_id: MemoryIdSchema,
    restored: z.array(MemoryIdSchema),
    /** Moves not undone: the memory changed or went away after the run moved it. */
    skipped: z.array(z.strictObject({ memory_id: MemoryIdSchema, reason: z.string() })),
  }),
);
export type ConsolidationUndo = z.infer<typeof ConsolidationUndoSchema>;
