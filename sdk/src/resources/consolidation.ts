/**
 * @module resources/consolidation — tidying an AI's memory: its settings, a run (a dry run shows
 * the plan, then that plan is executed exactly), the runs, and undoing one.
 */
import type {
  AcceptProposalsBody,
  ConsolidateBody,
  ConsolidationRun,
  ConsolidationSettings,
  ConsolidationUndo,
  ProposalsAccepted,
  UpdateConsolidationSettings,
} from '@memory-weaver/protocol';
import { segment, type Transport } from '../transport.js';
import type { ConsolidationRunPage } from '../types.js';

const ai = (aiUuid: string) => `/v1/ais/${segment(aiUuid)}`;

export const consolidationMethods = (t: Transport) => ({
  /** `GET /v1/ais/{ai_uuid}/consolidation`: the AI's consolidation settings. */
  getConsolidationSettings: (aiUuid: string): Promise<ConsolidationSettings> =>
    t.json('GET', `${ai(aiUuid)}/consolidation`),

  /** `PATCH /v1/ais/{ai_uuid}/consolidation`: any of the settings. */
  updateConsolidationSettings: (aiUuid: string, change: UpdateConsolidationSettings): Promise<ConsolidationSettings> =>
    t.json('PATCH', `${ai(aiUuid)}/consolidation`, { body: change }),

  /**
   * `POST /v1/ais/{ai_uuid}/consolidate`: `{ dry_run: true }` plans and stores the plan; `{ run_id }`
   * executes (or resumes) that run's plan; `{}` plans and runs at once.
   */
  consolidate: (aiUuid: string, request: ConsolidateBody = {}): Promise<ConsolidationRun> =>
    t.json('POST', `${ai(aiUuid)}/consolidate`, { body: request }),

  /** `GET /v1/ais/{ai_uuid}/consolidations`: the runs, newest first. */
  listConsolidations: (aiUuid: string, query: { limit?: number } = {}): Promise<ConsolidationRunPage> =>
    t.json('GET', `${ai(aiUuid)}/consolidations`, { query }),

  /** `GET /v1/ais/{ai_uuid}/consolidations/{run_id}`. */
  getConsolidation: (aiUuid: string, runId: string): Promise<ConsolidationRun> =>
    t.json('GET', `${ai(aiUuid)}/consolidations/${segment(runId)}`),

  /** `POST …/consolidations/{run_id}/undo`: the moved memories back where they were (unless changed since). */
  undoConsolidation: (aiUuid: string, runId: string): Promise<ConsolidationUndo> =>
    t.json('POST', `${ai(aiUuid)}/consolidations/${segment(runId)}/undo`),

  /**
   * `POST …/consolidations/{run_id}/proposals/accept`: archive these of the run's proposals
   * (long-term memories not retrieved for a while); undoing the run brings them back.
   */
  acceptConsolidationProposals: (
    aiUuid: string,
    runId: string,
    memoryIds: AcceptProposalsBody['memory_ids'],
  ): Promise<ProposalsAccepted> =>
    t.json('POST', `${ai(aiUuid)}/consolidations/${segment(runId)}/proposals/accept`, {
      body: { memory_ids: memoryIds },
    }),
});
export type ConsolidationMethods = ReturnType<typeof consolidationMethods>;
