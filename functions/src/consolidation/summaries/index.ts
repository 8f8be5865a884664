/**
 * @module consolidation/summaries — rolling session summaries, checked before they replace
 * anything. What the rest of the server uses: the settings, queuing a job with a turn, running
 * one (the `summarize` trigger), and the summary in force of a session.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { sessionsRef } from '../../chat/sessions.js';
import { summaryInForce } from './state.js';

export { summarySettingsOf, summaryStatus, updateSummarySettings } from './settings.js';
export { enqueueSummaryJob, newSummaryJob, summaryJobsRef } from './jobs.js';
export { runSummary, type SummaryDeps, type SummaryOutcome } from './runSummary.js';
export { summaryInForce, toSessionSummary, type SummaryInForce } from './state.js';

/**
 * The summary in force of a session: its memory, its text and the last turn it covers; null when
 * the session has none (or its memory was deleted). The lifecycle links archived working-memory
 * entries of the session to it.
 */
export async function latestSummary(
  db: Firestore,
  aiUuid: string,
  sessionId: string,
): Promise<{ memoryId: string; content: string; lastTurn: string } | null> {
  const session = await sessionsRef(db, aiUuid).doc(sessionId).get();
  const current = await summaryInForce(db, aiUuid, session.data());
  return current ? { memoryId: current.memoryId, content: current.content, lastTurn: current.lastTurn } : null;
}
