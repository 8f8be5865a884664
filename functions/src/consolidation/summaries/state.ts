/**
 * @module consolidation/summaries/state — what a chat session's document records about its
 * summary, and the summary in force read back (for context assembly, the API and the lifecycle).
 *
 * On `ai_registry/{ai}/chat_sessions/{session}`:
 *   summaryMemoryId   the summary memory (one per session, updated in place)
 *   summaryCovers     { firstTurn, lastTurn, lastTurnAt, turns }: what the summary in force covers
 *   summaryCounts     { written, rejected, failed }
 *   summaryRejection  the latest rejection: { jobId, reason, at }
 *   summaryRejectionFacts  its { dropped, missing }: the session's text, sealed at rest as one
 *                     value (packages/core/src/crypto)
 */
import type { DocumentData, Firestore, Timestamp } from 'firebase-admin/firestore';
import type { MemoryType, PinnedFact, SessionSummary, SummaryCounts } from '@memory-weaver/protocol';
import { AI_REGISTRY, cipherForDocs, iso, memoryRef, openDoc, openSnapshots } from '@memory-weaver/core';
import { toMemory } from '../../memory/record.js';

export interface CoversDoc {
  firstTurn: string;
  lastTurn: string;
  lastTurnAt: Timestamp;
  turns: number;
}

export interface RejectionDoc {
  jobId: string;
  reason: string;
  at: Timestamp;
  /** In rejections written before the facts were kept apart (summaryRejectionFacts). */
  dropped?: PinnedFact[];
  missing?: string[];
}

export const coversOf = (session: DocumentData | undefined): CoversDoc | null =>
  (session?.summaryCovers as CoversDoc | undefined) ?? null;

export function countsOf(session: DocumentData | undefined): SummaryCounts {
  const c = (session?.summaryCounts ?? {}) as Partial<SummaryCounts>;
  return { written: c.written ?? 0, rejected: c.rejected ?? 0, failed: c.failed ?? 0 };
}

/** The tiers a summary memory is looked for in: where it is written, and where the lifecycle may move it. */
const SUMMARY_TIERS: MemoryType[] = ['working_memory', 'archive'];

export interface SummaryInForce {
  memoryId: string;
  memoryType: MemoryType;
  content: string;
  updatedAt: string;
  firstTurn: string;
  lastTurn: string;
  lastTurnAt: Timestamp;
  turns: number;
}

/**
 * The session's summary in force given its document, or null: none written yet, or its memory
 * deleted (then it is gone for good: what was forgotten does not come back through the summary).
 */
export async function summaryInForce(
  db: Firestore,
  aiUuid: string,
  session: DocumentData | undefined,
): Promise<SummaryInForce | null> {
  const covers = coversOf(session);
  const id: unknown = session?.summaryMemoryId;
  if (!covers || typeof id !== 'string') return null;
  for (const tier of SUMMARY_TIERS) {
    // Content and metadata are sealed at rest (packages/core/src/crypto): opened as the API opens them.
    const [snap] = await openSnapshots(db, aiUuid, [await memoryRef(db, aiUuid, tier, id).get()]);
    const data = snap?.data();
    if (!data) continue;
    const memory = toMemory(id, tier, data);
    return {
      memoryId: id,
      memoryType: tier,
      content: memory.content,
      updatedAt: memory.updated_at,
      firstTurn: covers.firstTurn,
      lastTurn: covers.lastTurn,
      lastTurnAt: covers.lastTurnAt,
      turns: covers.turns,
    };
  }
  return null;
}

/** `GET …/sessions/{session_id}/summary`. */
export async function toSessionSummary(
  db: Firestore,
  aiUuid: string,
  sessionId: string,
  session: DocumentData,
): Promise<SessionSummary> {
  const current = await summaryInForce(db, aiUuid, session);
  const path = `${AI_REGISTRY}/${aiUuid}/chat_sessions/${sessionId}`;
  const stored = { ref: { path }, data: () => session };
  const opened = openDoc(await cipherForDocs(db, aiUuid, [stored]), path, session);
  const rejection = (opened.summaryRejection as RejectionDoc | undefined) ?? null;
  // Written with the rejection since the facts were sealed apart; before that, inside it.
  const facts = (opened.summaryRejectionFacts as Pick<RejectionDoc, 'dropped' | 'missing'> | undefined) ?? rejection;
  return {
    session_id: sessionId,
    memory_id: current?.memoryId ?? null,
    content: current?.content ?? null,
    covers: current ? { first_turn: current.firstTurn, last_turn: current.lastTurn, turns: current.turns } : null,
    updated_at: current?.updatedAt ?? null,
    counts: countsOf(session),
    last_rejection: rejection
      ? {
          job_id: rejection.jobId,
          reason: rejection.reason,
          at: iso(rejection.at),
          dropped: facts?.dropped ?? [],
          missing: facts?.missing ?? [],
        }
      : null,
  };
}
