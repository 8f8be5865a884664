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
    /** Whether a run writes a reflection to `personal_logs` (needs a model; off by default, like extraction). */
    reflections: z.boolean(),
  }),
);
export type ConsolidationSettings = z.infer<typeof ConsolidationSettingsSchema>;

export const DEFAULT_CONSOLIDATION_SETTINGS: ConsolidationSettings = {
  scheduled: true,
  working_memory_max_age_hours: 7 * 24,
  unretrieved_days: 90,
  reflections: false,
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
  /**
   * True for an entry that never went through extraction (written through the memory API, not a
   * chat exchange): its text is queued for extraction before it moves, when extraction is on.
   */
  extract: z.boolean(),
  /** The session summary (a working-memory memory) that covers this entry's session, when there is one. */
  summary_id: MemoryIdSchema.nullable(),
});
export type ConsolidationAction = z.infer<typeof ConsolidationActionSchema>;

/** What happened to one action when the run executed it. */
export const ConsolidationOutcomeSchema = z.strictObject({
  memory_id: MemoryIdSchema,
  outcome: z.enum(['moved', 'skipped']),
  /** For a skip: `changed_since_plan` or `gone`. */
  reason: z.string().optional(),
});

/** A long-term memory proposed for archiving: listed, never moved by a run; the admin accepts it or not. */
export const ArchiveProposalSchema = z.strictObject({
  memory_id: MemoryIdSchema,
  reason: z.string(),
  /** When it was last retrieved (search, chat context); null: never since it was created. */
  last_retrieved_at: TimeSchema.nullable(),
  planned_updated_at: TimeSchema,
  /** `proposed` until accepted; `accepted`: archived by the accept call; `skipped`: accepting it found it changed or gone. */
  status: z.enum(['proposed', 'accepted', 'skipped']),
  /** For a skip: `changed_since_plan`, `gone` or `id_taken_in_destination`. */
  skip_reason: z.string().optional(),
});
export type ArchiveProposal = z.infer<typeof ArchiveProposalSchema>;

/** Extraction before archiving: entries that never went through extraction, and what the run did about them. */
export const ConsolidationExtractionSchema = z.strictObject({
  /** `queued`: jobs were queued (`job_ids`); `planned`: they will be when the run executes; `off`: extraction is off for the AI (the entries move unextracted); `no_model`: no model is configured; `none_needed`: every entry already went through it. */
  status: z.enum(['planned', 'queued', 'off', 'no_model', 'none_needed']),
  entries: z.int().min(0),
  job_ids: z.array(z.string()),
});
export type ConsolidationExtraction = z.infer<typeof ConsolidationExtractionSchema>;

/** The run's reflection: one `personal_logs` entry about what the AI learned in the period, with its sources. */
export const ConsolidationReflectionSchema = z.strictObject({
  /** `planned` (a dry run, or not yet written), `written`, `skipped` (see reason), `failed` (the model failed: see reason), `undone`. */
  status: z.enum(['planned', 'written', 'skipped', 'failed', 'undone']),
  /** Why there is none: `reflections_off`, `no_model`, `nothing_new`, `model_empty`, or a model failure's code. */
  reason: z.string().nullable(),
  /** The personal_logs memory, once written. */
  memory_id: MemoryIdSchema.nullable(),
  /** The memories the model is given (planned) and, once written, those it drew on. */
  sources: z.array(MemoryIdSchema),
  /** The start of the period reflected on: the previous finished run's start, null for the first run. */
  period_start: TimeSchema.nullable(),
});
export type ConsolidationReflection = z.infer<typeof ConsolidationReflectionSchema>;

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
    extraction: ConsolidationExtractionSchema,
    reflection: ConsolidationReflectionSchema,
    /** Actions executed so far, in plan order. */
    outcomes: z.array(ConsolidationOutcomeSchema),
    counts: z.strictObject({
      planned: z.int().min(0),
      moved: z.int().min(0),
      skipped: z.int().min(0),
      undone: z.int().min(0),
      proposed: z.int().min(0),
      accepted: z.int().min(0),
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
    /** The run's reflection, deleted (an undone run leaves no thought behind); null when it had none or it was edited since. */
    reflection_deleted: MemoryIdSchema.nullable(),
  }),
);
export type ConsolidationUndo = z.infer<typeof ConsolidationUndoSchema>;

/** `POST /v1/ais/{ai_uuid}/consolidations/{run_id}/proposals/accept`: archive these proposals of the run. */
export const AcceptProposalsBodySchema = z.strictObject({
  memory_ids: z.array(MemoryIdSchema).min(1).max(500),
});
export type AcceptProposalsBody = z.infer<typeof AcceptProposalsBodySchema>;

/** What accepting did: each proposal archived (an audited move, undone with the run), or why not. */
export const ProposalsAcceptedSchema = named(
  'ConsolidationProposalsAccepted',
  z.strictObject({
    run_id: MemoryIdSchema,
    accepted: z.array(MemoryIdSchema),
    /** `not_proposed` (not a proposal of this run), `changed_since_plan`, `gone`, `id_taken_in_destination`. */
    skipped: z.array(z.strictObject({ memory_id: MemoryIdSchema, reason: z.string() })),
  }),
);
export type ProposalsAccepted = z.infer<typeof ProposalsAcceptedSchema>;
