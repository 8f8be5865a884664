/**
 * @module resources/summaries — rolling session summaries: an AI's summary settings (every how
 * many turns) with its counts, and one session's summary in force with its latest rejection.
 */
import type { SessionSummary, SummaryStatus, UpdateSummarySettings } from '@memory-weaver/protocol';
import { segment, type Transport } from '../transport.js';

const ai = (aiUuid: string) => `/v1/ais/${segment(aiUuid)}`;

export const summaryMethods = (t: Transport) => ({
  /** `GET /v1/ais/{ai_uuid}/summaries`: the settings, whether summaries run, and the AI's counts. */
  getSummarySettings: (aiUuid: string): Promise<SummaryStatus> => t.json('GET', `${ai(aiUuid)}/summaries`),

  /** `PATCH /v1/ais/{ai_uuid}/summaries`: any of the settings (`enabled`, `every_turns`). */
  updateSummarySettings: (aiUuid: string, change: UpdateSummarySettings): Promise<SummaryStatus> =>
    t.json('PATCH', `${ai(aiUuid)}/summaries`, { body: change }),

  /** `GET /v1/ais/{ai_uuid}/sessions/{session_id}/summary`: the summary in force and why others were rejected. */
  getSessionSummary: (aiUuid: string, sessionId: string): Promise<SessionSummary> =>
    t.json('GET', `${ai(aiUuid)}/sessions/${segment(sessionId)}/summary`),
});
export type SummaryMethods = ReturnType<typeof summaryMethods>;
