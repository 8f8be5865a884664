/**
 * @module routes — the HTTP API's route table: every route the API in `functions/` answers, with
 * the schemas of what it takes and what it answers. `GET /v1/openapi.json` is generated from it
 * (openapi.ts), the contract tests validate every answer the test suite receives against it, and
 * a test (tests/unit/functions/route-table.test.ts) fails when the Express app and this table
 * disagree on a single (method, path).
 *
 * Adding a route: add one entry to ROUTES below, next to its neighbours. `path` is in OpenAPI form
 * (`/v1/ais/{ai_uuid}`, the Express path with `:name` written `{name}`); every `{name}` must be in
 * PATH_PARAMS. `responses` lists the successful statuses with their body schemas (errors need no
 * entry: every route may answer the error envelope). Put a new shape in the protocol as a zod
 * schema, wrapped in `named('Shape', …)` (registry.ts) when it recurs, and import it here.
 */
import { z } from 'zod';
import {
  AiDeletedSchema,
  AiInstanceSchema,
  AiPageSchema,
  AiStatsSchema,
  ApiKeyIssuedSchema,
  ApiKeyRevokedSchema,
  CreateAiBodySchema,
  HandshakeRequestSchema,
  HandshakeResponseSchema,
  ListAisQuerySchema,
  UpdateAiBodySchema,
} from './ai.js';
import {
  ChatCompletionChunkSchema,
  ChatCompletionRequestSchema,
  ChatCompletionSchema,
  ChatSessionDetailSchema,
  ContextPreviewRequestSchema,
  ContextPreviewSchema,
  SearchRequestSchema,
  SearchResultsSchema,
  SessionDeletedSchema,
  SessionIdSchema,
  SessionPageSchema,
  SessionsQuerySchema,
} from './chat.js';
import { EventPageSchema, EventsQuerySchema } from './events.js';
import {
  AiUuidSchema,
  CreateMemoryBodySchema,
  CreateMemoryRequestSchema,
  DeleteMemoryRequestSchema,
  EditMemoryBodySchema,
  EditMemoryRequestSchema,
  ListMemoriesQuerySchema,
  MemoryChangeSchema,
  MemoryDeletionSchema,
  MemoryIdSchema,
  MemoryPageSchema,
  MemorySchema,
  MemoryTypeSchema,
  MoveMemoryBodySchema,
  MoveMemoryRequestSchema,
  RetrieveMemoriesRequestSchema,
  RetrievedMemoriesSchema,
} from './memory.js';
import {
  ExtractionDecisionSchema,
  ExtractionJobPageSchema,
  ExtractionJobSchema,
  ExtractionStatusSchema,
  HygieneQuerySchema,
  HygieneSchema,
  ListExtractionsQuerySchema,
  MemoryVersionsSchema,
  ObserveAcceptedSchema,
  ObserveBodySchema,
  ReviewOutcomeSchema,
  ReviewPageSchema,
  UpdateExtractionSettingsSchema,
} from './extraction.js';
import { BrainBundleSchema, ExportQuerySchema, ImportQuerySchema, ImportReportSchema } from './brain.js';
import { EncryptionStatusSchema, UpdateEncryptionBodySchema } from './encryption.js';
import {
  AcceptProposalsBodySchema,
  ConsolidateBodySchema,
  ConsolidationRunPageSchema,
  ConsolidationRunSchema,
  ConsolidationSettingsSchema,
  ConsolidationUndoSchema,
  ListConsolidationsQuerySchema,
  ProposalsAcceptedSchema,
  UpdateConsolidationSettingsSchema,
} from './consolidation.js';
import { SessionSummarySchema, SummaryStatusSchema, UpdateSummarySettingsSchema } from './summaries.js';
import { named } from './registry.js';

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * Who may call: `none` (no credential), `admin` (an administrator's Firebase ID token), `caller`
 * (an AI's API key for its own AI, or an administrator).
 */
export type RouteAuth = 'none' | 'admin' | 'caller';

export interface RouteSpec {
  method: HttpMethod;
  /** OpenAPI form: `/v1/ais/{ai_uuid}`. */
  path: string;
  summary: string;
  /** Longer notes for the reference (Markdown). */
  description?: string;
  /** The reference's section. */
  tag: 'seed' | 'ais' | 'memories' | 'chat' | 'extraction' | 'service';
  auth: RouteAuth;
  /** The JSON body's schema, for routes that take one. */
  body?: z.ZodType;
  /** The query string's schema (an object of optional fields). */
  query?: z.ZodObject;
  /** Successful statuses and their JSON bodies. Every route may also answer `ErrorBody` (4xx, 5xx). */
  responses: Record<number, z.ZodType>;
  /** With `stream: true` in the body, a 200 is Server-Sent Events, one of these per `data:` line, then `[DONE]`. */
  stream?: z.ZodType;
  /** Honours an `Idempotency-Key` header (every mutation does). */
  idempotent?: boolean;
}

/** The schema of each path parameter, by name. */
export const PATH_PARAMS: Record<string, z.ZodType> = {
  ai_uuid: AiUuidSchema,
  memory_type: MemoryTypeSchema,
  memory_id: MemoryIdSchema,
  session_id: SessionIdSchema,
  extraction_id: MemoryIdSchema,
  review_id: MemoryIdSchema,
  run_id: MemoryIdSchema,
  index: z.coerce.number().int().min(0),
  version_id: z.string().regex(/^\d{12}$/),
};

export const HealthSchema = named('Health', z.strictObject({ status: z.literal('ok') }));

/** The OpenAPI document itself, as far as a client relies on it. */
export const OpenApiDocumentSchema = named(
  'OpenApiDocument',
  z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.record(z.string(), z.unknown()) }),
);

const AI = '/v1/ais/{ai_uuid}';
const TIER = `${AI}/memories/{memory_type}`;
const MEMORY = `${TIER}/{memory_id}`;

export const ROUTES: readonly RouteSpec[] = [
  // Service
  {
    method: 'get',
    path: '/v1/healthz',
    summary: 'Whether the API answers (no credential, no rate limit, no read)',
    tag: 'service',
    auth: 'none',
    responses: { 200: HealthSchema },
  },
  {
    method: 'get',
    path: '/v1/openapi.json',
    summary: 'This description of the API (OpenAPI 3.1)',
    tag: 'service',
    auth: 'none',
    responses: { 200: OpenApiDocumentSchema },
  },

  // The seed's contract
  {
    method: 'post',
    path: '/v1/handshake',
    summary: "An administrator creates an AI (201, its key shown once); an AI's key gets its session data (200)",
    tag: 'seed',
    auth: 'caller',
    body: HandshakeRequestSchema,
    responses: { 200: HandshakeResponseSchema, 201: HandshakeResponseSchema },
    idempotent: true,
  },
  {
    method: 'post',
    path: '/create_memory',
    summary: 'Create a memory (the seed’s form)',
    tag: 'seed',
    auth: 'caller',
    body: CreateMemoryRequestSchema,
    responses: { 200: MemoryChangeSchema },
    idempotent: true,
  },
  {
    method: 'post',
    path: '/edit_memory',
    summary: 'Edit a memory; a string `memory_data` keeps the metadata (the seed’s form)',
    tag: 'seed',
    auth: 'caller',
    body: EditMemoryRequestSchema,
    responses: { 200: MemoryChangeSchema },
    idempotent: true,
  },
  {
    method: 'post',
    path: '/delete_memory',
    summary: 'Delete a memory (the seed’s form)',
    tag: 'seed',
    auth: 'caller',
    body: DeleteMemoryRequestSchema,
    responses: { 200: MemoryDeletionSchema },
    idempotent: true,
  },
  {
    method: 'post',
    path: '/move_memory',
    summary: 'Move a memory to another tier (the seed’s form)',
    tag: 'seed',
    auth: 'caller',
    body: MoveMemoryRequestSchema,
    responses: { 200: MemoryChangeSchema },
    idempotent: true,
  },
  {
    method: 'post',
    path: '/retrieve_memories',
    summary: 'A tier’s memories, newest first, with an optional filter (the seed’s form)',
    tag: 'seed',
    auth: 'caller',
    body: RetrieveMemoriesRequestSchema,
    responses: { 200: RetrievedMemoriesSchema },
  },

  // AI instances
  {
    method: 'get',
    path: '/v1/ais',
    summary: 'AIs, newest first (a key sees only its own)',
    tag: 'ais',
    auth: 'caller',
    query: ListAisQuerySchema,
    responses: { 200: AiPageSchema },
  },
  {
    method: 'post',
    path: '/v1/ais',
    summary: 'Create an AI (as the handshake does)',
    tag: 'ais',
    auth: 'admin',
    body: CreateAiBodySchema,
    responses: { 201: HandshakeResponseSchema },
    idempotent: true,
  },
  { method: 'get', path: AI, summary: 'One AI', tag: 'ais', auth: 'caller', responses: { 200: AiInstanceSchema } },
  {
    method: 'patch',
    path: AI,
    summary: 'Rename an AI or change its chat settings',
    tag: 'ais',
    auth: 'admin',
    body: UpdateAiBodySchema,
    responses: { 200: AiInstanceSchema },
    idempotent: true,
  },
  {
    method: 'delete',
    path: AI,
    summary: 'Delete an AI and everything it owns (tiers, events, keys, sessions)',
    tag: 'ais',
    auth: 'admin',
    responses: { 200: AiDeletedSchema },
    idempotent: true,
  },
  {
    method: 'post',
    path: `${AI}/api-key`,
    summary: 'Rotate the AI’s key: a new one, shown once; the old one stops at once',
    tag: 'ais',
    auth: 'admin',
    responses: { 201: ApiKeyIssuedSchema },
    idempotent: true,
  },
  {
    method: 'delete',
    path: `${AI}/api-key`,
    summary: 'Revoke the AI’s key: no key until the next rotation',
    tag: 'ais',
    auth: 'admin',
    responses: { 200: ApiKeyRevokedSchema },
    idempotent: true,
  },
  // Encryption at rest (functions/src/routes/encryption.ts, packages/core/src/crypto/README.md)
  {
    method: 'get',
    path: `${AI}/encryption`,
    summary: "The AI's encryption at rest: key version, stored vectors, the latest key rotation",
    tag: 'ais',
    auth: 'admin',
    responses: { 200: EncryptionStatusSchema },
  },
  {
    method: 'patch',
    path: `${AI}/encryption`,
    summary: "Keep the AI's memory vectors in Firestore or not (off: each instance keeps them in memory only)",
    tag: 'ais',
    auth: 'admin',
    body: UpdateEncryptionBodySchema,
    responses: { 200: EncryptionStatusSchema },
    idempotent: true,
  },
  {
    method: 'post',
    path: `${AI}/encryption/rotate-key`,
    summary:
      "Rotate the AI's data key: new writes use a new version, stored data is re-encrypted, the old key destroyed",
    description:
      'Answers 202 with the rotation status; `running` means the re-encryption continues with the next POST. ' +
      'An AI stored before encryption gets its first key and is encrypted. Reads and writes go on throughout.',
    tag: 'ais',
    auth: 'admin',
    responses: { 202: EncryptionStatusSchema },
    idempotent: true,
  },
  {
    method: 'get',
    path: `${AI}/stats`,
    summary: 'How many memories each tier holds',
    tag: 'ais',
    auth: 'caller',
    responses: { 200: AiStatsSchema },
  },
  {
    method: 'get',
    path: `${AI}/events`,
    summary: 'The AI’s event log in commit order, after an event id',
    tag: 'ais',
    auth: 'caller',
    query: EventsQuerySchema,
    responses: { 200: EventPageSchema },
  },

  // Memories
  {
    method: 'get',
    path: TIER,
    summary: 'A page of one tier, newest first, with filters',
    description:
      'Besides the parameters below, each `meta.<key>=<value>` parameter keeps the memories whose ' +
      'metadata has that key equal to that value ("42" matches 42, "true" matches true).',
    tag: 'memories',
    auth: 'caller',
    query: ListMemoriesQuerySchema,
    responses: { 200: MemoryPageSchema },
  },
  {
    method: 'post',
    path: TIER,
    summary: 'Create a memory',
    tag: 'memories',
    auth: 'caller',
    body: CreateMemoryBodySchema,
    responses: { 201: MemoryChangeSchema },
    idempotent: true,
  },
  {
    method: 'get',
    path: MEMORY,
    summary: 'One memory',
    tag: 'memories',
    auth: 'caller',
    responses: { 200: MemorySchema },
  },
  {
    method: 'patch',
    path: MEMORY,
    summary: 'Edit a memory (metadata is replaced whole)',
    tag: 'memories',
    auth: 'caller',
    body: EditMemoryBodySchema,
    responses: { 200: MemoryChangeSchema },
    idempotent: true,
  },
  {
    method: 'delete',
    path: MEMORY,
    summary: 'Delete a memory',
    tag: 'memories',
    auth: 'caller',
    responses: { 200: MemoryDeletionSchema },
    idempotent: true,
  },
  {
    method: 'post',
    path: `${MEMORY}/move`,
    summary: 'Move a memory to another tier (keeps its id, content, metadata and creation)',
    tag: 'memories',
    auth: 'caller',
    body: MoveMemoryBodySchema,
    responses: { 200: MemoryChangeSchema },
    idempotent: true,
  },
  {
    method: 'post',
    path: `${AI}/search`,
    summary: 'Rank every memory of the searched tiers (hybrid, keyword or vector)',
    tag: 'memories',
    auth: 'caller',
    body: SearchRequestSchema,
    responses: { 200: SearchResultsSchema },
  },

  // Chat
  {
    method: 'post',
    path: '/v1/chat/completions',
    summary: 'OpenAI-compatible chat completion grounded in the AI’s memory (streamed with `stream: true`)',
    description:
      'The caller is an AI’s key, or an administrator who names the AI with `ai_uuid`. The session ' +
      'id comes back in `memory_weaver.session_id` and the `x-memory-weaver-session-id` header.',
    tag: 'chat',
    auth: 'caller',
    body: ChatCompletionRequestSchema,
    responses: { 200: ChatCompletionSchema },
    stream: ChatCompletionChunkSchema,
    idempotent: true,
  },
  {
    method: 'post',
    path: `${AI}/context`,
    summary: 'Exactly what a completion would inject: the system message, history and memories used',
    tag: 'chat',
    auth: 'caller',
    body: ContextPreviewRequestSchema,
    responses: { 200: ContextPreviewSchema },
  },
  {
    method: 'get',
    path: `${AI}/sessions`,
    summary: 'Chat sessions, most recently used first (a key sees only the AI’s own)',
    tag: 'chat',
    auth: 'caller',
    query: SessionsQuerySchema,
    responses: { 200: SessionPageSchema },
  },
  {
    method: 'get',
    path: `${AI}/sessions/{session_id}`,
    summary: 'One session with its turns',
    tag: 'chat',
    auth: 'caller',
    responses: { 200: ChatSessionDetailSchema },
  },
  {
    method: 'delete',
    path: `${AI}/sessions/{session_id}`,
    summary: 'Delete a session and its turns (what they left in working memory stays)',
    tag: 'chat',
    auth: 'caller',
    responses: { 200: SessionDeletedSchema },
  },
  // Extraction: memory that learns from conversations (functions/src/routes/extraction.ts)
  {
    method: 'get',
    path: `${AI}/extraction`,
    summary: "The AI's extraction settings, and whether extraction runs (a model must be configured)",
    tag: 'extraction',
    auth: 'caller',
    responses: { 200: ExtractionStatusSchema },
  },
  {
    method: 'patch',
    path: `${AI}/extraction`,
    summary: 'Change extraction settings: on/off, instructions, target tier, review mode, personal-data policy',
    tag: 'extraction',
    auth: 'caller',
    body: UpdateExtractionSettingsSchema,
    responses: { 200: ExtractionStatusSchema },
    idempotent: true,
  },
  {
    method: 'get',
    path: `${AI}/extraction/hygiene`,
    summary: 'What extraction decided per day: added, duplicates, superseded, rejected by reason, awaiting review',
    tag: 'extraction',
    auth: 'caller',
    query: HygieneQuerySchema,
    responses: { 200: HygieneSchema },
  },
  {
    method: 'post',
    path: `${AI}/observe`,
    summary: 'Learn from an exchange held elsewhere: queues an extraction and answers 202 with its id',
    tag: 'extraction',
    auth: 'caller',
    body: ObserveBodySchema,
    responses: { 202: ObserveAcceptedSchema },
    idempotent: true,
  },
  {
    method: 'get',
    path: `${AI}/extractions`,
    summary: "The AI's extraction jobs, newest first",
    tag: 'extraction',
    auth: 'caller',
    query: ListExtractionsQuerySchema,
    responses: { 200: ExtractionJobPageSchema },
  },
  {
    method: 'get',
    path: `${AI}/extractions/{extraction_id}`,
    summary: 'One extraction: its status, counts and decisions',
    tag: 'extraction',
    auth: 'caller',
    responses: { 200: ExtractionJobSchema },
  },
  {
    method: 'post',
    path: `${AI}/extractions/{extraction_id}/retry`,
    summary: 'Run a failed extraction again (it continues where it stopped; nothing is stored twice)',
    tag: 'extraction',
    auth: 'caller',
    responses: { 202: ObserveAcceptedSchema },
    idempotent: true,
  },
  {
    method: 'post',
    path: `${AI}/extractions/{extraction_id}/decisions/{index}/undo`,
    summary:
      'Undo one decision: an added memory is deleted, a supersede is reversed, a duplicate or rejected candidate is kept after all',
    tag: 'extraction',
    auth: 'caller',
    responses: { 200: ExtractionDecisionSchema },
    idempotent: true,
  },
  {
    method: 'get',
    path: `${AI}/review`,
    summary: 'Candidates waiting for review (review mode)',
    tag: 'extraction',
    auth: 'caller',
    responses: { 200: ReviewPageSchema },
  },
  {
    method: 'post',
    path: `${AI}/review/{review_id}/approve`,
    summary: 'Approve a candidate: its proposed decision is applied',
    tag: 'extraction',
    auth: 'caller',
    responses: { 200: ReviewOutcomeSchema },
    idempotent: true,
  },
  {
    method: 'post',
    path: `${AI}/review/{review_id}/reject`,
    summary: 'Reject a candidate: nothing is stored',
    tag: 'extraction',
    auth: 'caller',
    responses: { 200: ReviewOutcomeSchema },
    idempotent: true,
  },
  {
    method: 'get',
    path: `${MEMORY}/versions`,
    summary: "A memory's earlier versions (every edit, move, supersede and restore keeps one), newest first",
    tag: 'memories',
    auth: 'caller',
    responses: { 200: MemoryVersionsSchema },
  },
  {
    method: 'post',
    path: `${MEMORY}/versions/{version_id}/restore`,
    summary: "Restore a version's content and metadata (itself a new version)",
    tag: 'memories',
    auth: 'caller',
    responses: { 200: MemoryChangeSchema },
    idempotent: true,
  },
  {
    method: 'get',
    path: `${AI}/export`,
    summary: 'Export the AI as a `.brain` bundle (NDJSON; a JWE with the `x-brain-passphrase` header)',
    description:
      'See functions/src/brain/README.md for the format (memory-weaver.brain/2: header, records, trailer), streamed as the AI is read. The body is not JSON: `application/x-ndjson`, or `application/jose` (JWE lines) when encrypted.',
    tag: 'ais',
    auth: 'caller',
    query: ExportQuerySchema,
    responses: { 200: BrainBundleSchema },
  },
  {
    method: 'post',
    path: '/v1/ais/import',
    summary: 'Import a `.brain` bundle, a mem0 dump or a Letta agent file into a new AI',
    description:
      'The body is the file as it is (`application/x-ndjson`, `application/jose` or `application/json`), up to 32 MiB.',
    tag: 'ais',
    auth: 'admin',
    query: ImportQuerySchema,
    responses: { 200: ImportReportSchema, 201: ImportReportSchema },
  },
  {
    method: 'post',
    path: `${AI}/import`,
    summary: 'Import a `.brain` bundle, a mem0 dump or a Letta agent file into this AI',
    description:
      'Modes: `dry_run` (plans a merge), `merge`, `overwrite`, `skip_existing`; `dry_run=true` plans any mode.',
    tag: 'ais',
    auth: 'caller',
    query: ImportQuerySchema,
    responses: { 200: ImportReportSchema },
  },
  // Consolidation: tidying an AI's memory, previewed, audited and undoable (functions/src/routes/consolidation.ts)
  {
    method: 'get',
    path: `${AI}/consolidation`,
    summary: "The AI's consolidation settings: working-memory age, unretrieved period, scheduled or not",
    tag: 'memories',
    auth: 'caller',
    responses: { 200: ConsolidationSettingsSchema },
  },
  {
    method: 'patch',
    path: `${AI}/consolidation`,
    summary: 'Change consolidation settings',
    tag: 'memories',
    auth: 'caller',
    body: UpdateConsolidationSettingsSchema,
    responses: { 200: ConsolidationSettingsSchema },
    idempotent: true,
  },
  {
    method: 'post',
    path: `${AI}/consolidate`,
    summary:
      'Consolidate now: old working memory moves to the archive (dry_run: the plan only; run_id: execute a stored plan)',
    tag: 'memories',
    auth: 'caller',
    body: ConsolidateBodySchema,
    responses: { 200: ConsolidationRunSchema },
    idempotent: true,
  },
  {
    method: 'get',
    path: `${AI}/consolidations`,
    summary: "The AI's consolidation runs, newest first",
    tag: 'memories',
    auth: 'caller',
    query: ListConsolidationsQuerySchema,
    responses: { 200: ConsolidationRunPageSchema },
  },
  {
    method: 'get',
    path: `${AI}/consolidations/{run_id}`,
    summary: 'One consolidation run: its plan, what it did, its proposals',
    tag: 'memories',
    auth: 'caller',
    responses: { 200: ConsolidationRunSchema },
  },
  {
    method: 'post',
    path: `${AI}/consolidations/{run_id}/undo`,
    summary: "Move a run's moves back (a memory changed since stays where it is)",
    tag: 'memories',
    auth: 'caller',
    responses: { 200: ConsolidationUndoSchema },
    idempotent: true,
  },
  // Rolling session summaries, checked before they replace anything (functions/src/routes/summaries.ts)
  {
    method: 'get',
    path: `${AI}/summaries`,
    summary: "The AI's session-summary settings (every how many turns), whether summaries run, and their counts",
    tag: 'chat',
    auth: 'caller',
    responses: { 200: SummaryStatusSchema },
  },
  {
    method: 'patch',
    path: `${AI}/summaries`,
    summary: 'Change session-summary settings',
    tag: 'chat',
    auth: 'caller',
    body: UpdateSummarySettingsSchema,
    responses: { 200: SummaryStatusSchema },
    idempotent: true,
  },
  {
    method: 'get',
    path: `${AI}/sessions/{session_id}/summary`,
    summary: "The session's summary in force, the turns it covers, and the summaries rejected by the check",
    tag: 'chat',
    auth: 'caller',
    responses: { 200: SessionSummarySchema },
  },
  {
    method: 'post',
    path: `${AI}/consolidations/{run_id}/proposals/accept`,
    summary: "Archive some of a run's proposals (long-term memories not retrieved for a while), each an audited move",
    tag: 'memories',
    auth: 'caller',
    body: AcceptProposalsBodySchema,
    responses: { 200: ProposalsAcceptedSchema },
    idempotent: true,
  },
];

const paramPattern = /\{([^}]+)\}/g;

/**
 * The route a request went to: its method (any case) and its path without the query string.
 * Literal segments win over parameters, so `/v1/ais/{ai_uuid}/api-key` is not taken for a memory tier.
 */
export function findRoute(method: string, path: string, routes: readonly RouteSpec[] = ROUTES): RouteSpec | null {
  const m = method.toLowerCase();
  // Express routes `/a/b/` as `/a/b` (non-strict routing), and so does this.
  const bare = (path.split('?')[0] ?? '').replace(/(.)\/$/, '$1');
  const segments = bare.split('/');
  let best: { route: RouteSpec; literals: number } | null = null;
  for (const route of routes) {
    if (route.method !== m) continue;
    const pattern = route.path.split('/');
    if (pattern.length !== segments.length) continue;
    let literals = 0;
    const fits = pattern.every((p, i) => {
      if (p.startsWith('{')) return (segments[i] ?? '') !== '';
      literals += 1;
      return p === segments[i];
    });
    if (fits && (!best || literals > best.literals)) best = { route, literals };
  }
  return best?.route ?? null;
}

/** The names of a path's parameters, in order. */
export const pathParams = (path: string): string[] => [...path.matchAll(paramPattern)].map((m) => m[1] ?? '');
