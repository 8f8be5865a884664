/**
 * @module chat/storeExchange — after a completion succeeds: the turn in its session (the session
 * is created by its first turn, and belongs to the kind of caller that opened it: see
 * sessions.ts) and, when the answer says something of its own, the exchange in working memory with
 * its event, in one commit. A failed or cut completion never gets here, so it stores nothing.
 *
 * What is not saved to working memory (see echo.ts): a recall-only answer, which is copied memory
 * text and no model's words, and a model's answer that only copies the memories it was given. Its
 * turn is still stored, marked, so the session shows what was said. Copies inside an answer that
 * has words of its own are saved as references to their memories.
 */
import {
  FieldValue,
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Transaction,
} from 'firebase-admin/firestore';
import type { Actor, ExtractionSettings } from '@memory-weaver/protocol';
import { LIMITS } from '@memory-weaver/protocol';
import { actorOf, aiRef, isLive, notFound, processKeyring, sealingTransaction, tierRef } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { runChange } from '../memory/change.js';
import { newMemoryDoc, toMemory } from '../memory/record.js';
import { ownWords, type GivenMemory } from './echo.js';
import { sessionsRef, turnsRef } from './sessions.js';
import { redactSecrets } from '../extraction/gate.js';
import { enqueueJob, newJob } from '../extraction/jobs.js';
import { enqueueSummaryJob, newSummaryJob } from '../consolidation/summaries/jobs.js';

export interface Exchange {
  aiUuid: string;
  sessionId: string;
  message: string;
  response: string;
  model: string;
  /** True when the answer came from the recall-only stand-in, not a model. */
  recallOnly: boolean;
  /** The memories put in the model's context, with their content. */
  given: GivenMemory[];
  /** Set when the exchange is to be learnt from: a job is queued in the same commit (extraction/jobs.ts). */
  extraction: { settings: ExtractionSettings; model: string } | null;
  /**
   * Set when the session is summarised every `everyTurns` turns: the turn that reaches a multiple
   * queues the summary job in the same commit (consolidation/summaries/jobs.ts).
   */
  summary?: { everyTurns: number; model: string } | null;
}

export interface StoredExchange {
  chat_id: string;
  /** Null when the exchange was not saved to working memory. */
  memory_id: string | null;
}

/** The text saved to working memory, or null when the answer has nothing of its own. */
export function rememberedText(x: Exchange): string | null {
  if (x.recallOnly) return null;
  const answer = ownWords(x.response, x.given);
  if (!answer.hasOwnWords) return null;
  // Secrets said in a chat are not kept, in working memory or anywhere else (extraction/secrets.ts).
  return redactSecrets(`User: ${x.message}\nAssistant: ${answer.text}`).text.slice(0, LIMITS.contentChars);
}

export async function storeExchange(ctx: MutationContext, x: Exchange, responseBody: unknown): Promise<StoredExchange> {
  const session = sessionsRef(ctx.db, x.aiUuid).doc(x.sessionId);
  const turn = turnsRef(ctx.db, x.aiUuid, x.sessionId).doc();
  const content = rememberedText(x);
  if (content === null) return storeTurnOnly(ctx, x, session, turn, responseBody);
  const memory = tierRef(ctx.db, x.aiUuid, 'working_memory').doc();
  return runChange(ctx, x.aiUuid, [session], ({ tx, docs, now, actor, event }) => {
    const at = Timestamp.fromDate(now);
    writeTurn(tx, x, { session, exists: docs[0]?.exists === true, turn, actor, at });
    queueExtraction(tx, ctx, x, turn.id, now);
    queueSummary(tx, ctx, x, docs[0], turn.id, now);
    const doc = newMemoryDoc(
      content,
      { kind: 'chat_exchange', session_id: x.sessionId, chat_id: turn.id, model: x.model },
      actor,
      ctx.via,
      at,
    );
    tx.create(memory, doc);
    event({
      type: 'created',
      memoryId: memory.id,
      tier: 'working_memory',
      memory: toMemory(memory.id, 'working_memory', doc),
    });
    ctx.record(tx, responseBody);
    return { chat_id: turn.id, memory_id: memory.id };
  });
}

/**
 * A turn with no memory change: no event (the log is of memory changes), so not through
 * runChange. The AI must still be live, read in the same transaction as the session.
 */
async function storeTurnOnly(
  ctx: MutationContext,
  x: Exchange,
  session: DocumentReference,
  turn: DocumentReference,
  responseBody: unknown,
): Promise<StoredExchange> {
  const actor = actorOf(ctx.principal);
  const at = Timestamp.fromDate(ctx.clock.now());
  return ctx.db.runTransaction(async (plain) => {
    const [ai, existing] = await plain.getAll(aiRef(ctx.db, x.aiUuid), session);
    if (!isLive(ai?.data())) throw notFound('AI instance');
    // runChange seals what a change writes; this path writes the turn itself, so it seals it here,
    // with the key version the registry names (read in this transaction: a rotation conflicts).
    const cipher = await processKeyring().cipherForWrite(ctx.db, x.aiUuid, ai.get('dataKeyVersion'));
    const tx = sealingTransaction(plain, cipher);
    writeTurn(tx, x, { session, exists: existing?.exists === true, turn, actor, at });
    queueExtraction(tx, ctx, x, turn.id, at.toDate());
    queueSummary(tx, ctx, x, existing, turn.id, at.toDate());
    ctx.record(tx, responseBody);
    return { chat_id: turn.id, memory_id: null };
  });
}

/** The exchange's extraction job, keyed by the turn: one job per exchange, whatever retries. */
function queueExtraction(tx: Transaction, ctx: MutationContext, x: Exchange, turnId: string, at: Date): void {
  if (!x.extraction || x.recallOnly) return;
  const job = newJob({
    source: 'chat',
    sessionId: x.sessionId,
    turnIds: [turnId],
    messages: [
      { role: 'user', content: x.message },
      { role: 'assistant', content: x.response },
    ],
    // The archive is history, not current knowledge: a fact that returns to an archived value is a
    // change to record (a supersede), not an echo of what the model was shown.
    injected: x.given.filter((g) => g.memory_type !== 'archive').map((g) => g.content),
    settings: x.extraction.settings,
    model: x.extraction.model,
    at,
  });
  enqueueJob(tx, ctx.db, x.aiUuid, turnId, job);
}

/**
 * The session's summary job when this turn makes its count a multiple of the AI's `every_turns`,
 * keyed by the turn (one job per turn, whatever retries). The count is the session's as read in
 * this commit, so two turns can't both be the tenth.
 */
function queueSummary(
  tx: Transaction,
  ctx: MutationContext,
  x: Exchange,
  session: DocumentSnapshot | undefined,
  turnId: string,
  at: Date,
): void {
  if (!x.summary || x.recallOnly) return;
  const turnCount = session?.exists ? Number(session.get('turns') ?? 0) + 1 : 1;
  if (turnCount % x.summary.everyTurns !== 0) return;
  const job = newSummaryJob({ sessionId: x.sessionId, turnId, turnCount, model: x.summary.model, at });
  enqueueSummaryJob(tx, ctx.db, x.aiUuid, job);
}

function writeTurn(
  tx: Transaction,
  x: Exchange,
  w: { session: DocumentReference; exists: boolean; turn: DocumentReference; actor: Actor; at: Timestamp },
): void {
  // Who owns the session is settled by prepareChat (openSession) and never changes once created.
  if (w.exists) {
    tx.update(w.session, { updatedAt: w.at, turns: FieldValue.increment(1) });
  } else {
    tx.create(w.session, {
      name: x.message.slice(0, 80),
      userId: w.actor.id,
      userKind: w.actor.kind,
      createdAt: w.at,
      updatedAt: w.at,
      turns: 1,
    });
  }
  tx.create(w.turn, {
    message: redactSecrets(x.message).text,
    response: redactSecrets(x.response).text,
    userId: w.actor.id,
    userKind: w.actor.kind,
    timestamp: w.at,
    model: x.model,
    recallOnly: x.recallOnly,
    memoriesUsed: x.given.map((m) => m.memory_id),
  });
}
