/**
 * @module chat/sessions — an AI's chat sessions and their turns (seed: `chat_sessions`, `chats`),
 * and who may use one.
 *
 * A session belongs to the kind of caller that opened it (its first turn's `userKind`): one
 * opened with a key of the AI belongs to the AI, and any key of that AI (a rotated one too) may
 * list, read, continue and delete it; one opened by an administrator in the console is the
 * administrators' conversation about the AI, and the AI's key can't see it. Administrators may use
 * every session. A session a caller may not use answers 404, exactly like one that doesn't exist.
 * (What an administrator's exchange left in working memory is the AI's memory, and stays readable
 * to the AI like any other memory.)
 */
import {
  FieldPath,
  type DocumentData,
  type Firestore,
  type Query,
  type QueryDocumentSnapshot,
  type Timestamp,
} from 'firebase-admin/firestore';
import type { Actor, ChatSession, ChatTurn } from '@memory-weaver/protocol';
import { aiRef, decodeCursor, encodeCursor, iso, notFound, openSnapshots, type Principal } from '@memory-weaver/core';
import { RECALL_ONLY_MODEL } from '../llm/recallOnly.js';
import { actorShownTo } from '../memory/record.js';
import { summaryInForce, type SummaryInForce } from '../consolidation/summaries/state.js';

export const sessionsRef = (db: Firestore, aiUuid: string) => aiRef(db, aiUuid).collection('chat_sessions');
export const turnsRef = (db: Firestore, aiUuid: string, sessionId: string) =>
  sessionsRef(db, aiUuid).doc(sessionId).collection('chats');

/** A session the caller may use, as `openSession` found it. */
export interface OpenedSession {
  id: string;
  data: DocumentData;
}

/**
 * Who opened a session or said a turn. Anything not recorded as a key's (documents older than the
 * kind field) counts as an administrator's: unknown is never shown to a key.
 */
const actorOf = (d: DocumentData, fallbackKind?: unknown): Actor => {
  const kind: unknown = d.userKind ?? fallbackKind;
  const id = String(d.userId ?? '');
  return kind === 'ai_key' ? { kind: 'ai_key', id } : { kind: 'admin', id };
};

export const mayUseSession = (viewer: Principal, session: DocumentData): boolean =>
  viewer.kind === 'admin' || actorOf(session).kind === 'ai_key';

/** The session if it exists and this caller may use it; 404 otherwise (see the module comment). */
export async function openSession(
  db: Firestore,
  viewer: Principal,
  aiUuid: string,
  sessionId: string,
): Promise<OpenedSession> {
  // A session's name is its first message's start, sealed at rest like the turns (core's crypto/).
  const [snap] = await openSnapshots(db, aiUuid, [await sessionsRef(db, aiUuid).doc(sessionId).get()]);
  const data = snap?.data();
  if (!data || !mayUseSession(viewer, data)) throw notFound('chat session');
  return { id: sessionId, data };
}

export function toSession(id: string, d: DocumentData, viewer: Principal): ChatSession {
  return {
    session_id: id,
    name: String(d.name ?? ''),
    user_id: actorShownTo(viewer, actorOf(d)).id,
    created_at: iso(d.createdAt),
    updated_at: iso(d.updatedAt),
    turns: Number(d.turns ?? 0),
  };
}

/**
 * A turn as `viewer` may see it: an administrator who continued a key's session shows to the key
 * without a uid. A turn stored before turns recorded their kind takes the opener's kind when it
 * was the opener's, and counts as an administrator's otherwise.
 */
export function toTurn(doc: QueryDocumentSnapshot, session: DocumentData, viewer: Principal): ChatTurn {
  const d = doc.data();
  const by = actorOf(d, d.userId === session.userId ? session.userKind : undefined);
  return {
    chat_id: doc.id,
    message: String(d.message ?? ''),
    response: String(d.response ?? ''),
    user_id: actorShownTo(viewer, by).id,
    timestamp: iso(d.timestamp),
    model: String(d.model ?? ''),
  };
}

/**
 * A turn answered in recall-only mode: its answer is copied memory text, not a model's words
 * (turns stored before the flag existed are known by the stand-in's model name).
 */
export const answeredFromRecall = (d: DocumentData): boolean =>
  d.recallOnly === true || (d.recallOnly === undefined && d.model === RECALL_ONLY_MODEL);

/** A key's listing skips administrators' sessions; this bounds the documents one request reads. */
const SCAN_CHUNK = 100;
const SCAN_BUDGET = 1_000;

/**
 * Sessions newest first. For a key, administrators' sessions are filtered out here rather than by
 * a `userKind` query: that query would need a composite index (equality plus the order), and
 * sessions written before `userKind` existed must still count as administrators'. When the scan
 * budget runs out the page may be short; `next_cursor` continues where the scan stopped.
 */
export async function listSessions(
  db: Firestore,
  aiUuid: string,
  viewer: Principal,
  page: { limit: number; cursor?: string | undefined },
) {
  const ordered: Query = sessionsRef(db, aiUuid).orderBy('updatedAt', 'desc').orderBy(FieldPath.documentId(), 'desc');
  const shown: QueryDocumentSnapshot[] = [];
  let position = page.cursor ? decodeCursor(page.cursor) : undefined;
  let lastShown = position;
  let scanned = 0;
  const chunk = viewer.kind === 'admin' ? page.limit + 1 : SCAN_CHUNK;
  const result = (next: { at: Timestamp; id: string } | undefined) => ({
    sessions: shown.map((d) => toSession(d.id, d.data(), viewer)),
    next_cursor: next ? encodeCursor(next.at, next.id) : null,
  });
  for (;;) {
    const q = position ? ordered.startAfter(position.at, position.id) : ordered;
    const docs = await openSnapshots(db, aiUuid, (await q.limit(chunk).get()).docs);
    for (const doc of docs) {
      if (shown.length === page.limit) return result(lastShown);
      scanned += 1;
      position = { at: doc.get('updatedAt') as Timestamp, id: doc.id };
      if (mayUseSession(viewer, doc.data())) {
        shown.push(doc);
        lastShown = position;
      }
    }
    if (docs.length < chunk) return result(undefined);
    if (scanned >= SCAN_BUDGET) return result(position);
  }
}

export async function getSession(db: Firestore, aiUuid: string, sessionId: string, viewer: Principal) {
  const session = await openSession(db, viewer, aiUuid, sessionId);
  const turns = await recentTurns(db, aiUuid, sessionId, 500);
  return {
    ...toSession(session.id, session.data, viewer),
    chats: turns.map((t) => toTurn(t, session.data, viewer)),
  };
}

/** The newest `limit` turns of a session, oldest first. */
export async function recentTurns(
  db: Firestore,
  aiUuid: string,
  sessionId: string,
  limit: number,
): Promise<QueryDocumentSnapshot[]> {
  const docs = (await turnsRef(db, aiUuid, sessionId).orderBy('timestamp', 'desc').limit(limit).get()).docs;
  // Turns are sealed at rest: handed on opened, so every reader of them sees the text.
  return (await openSnapshots(db, aiUuid, docs)).reverse();
}

/**
 * What a model is told of a session's past: its summary in force (consolidation/summaries/) and the
 * newest `limit` turns after the last one it covers, oldest first; without a summary (none yet, or
 * its memory deleted), the newest `limit` turns.
 */
export async function historySinceSummary(
  db: Firestore,
  aiUuid: string,
  sessionId: string,
  limit: number,
): Promise<{ summary: SummaryInForce | null; turns: QueryDocumentSnapshot[] }> {
  const [session, turns] = await Promise.all([
    sessionsRef(db, aiUuid).doc(sessionId).get(),
    recentTurns(db, aiUuid, sessionId, limit),
  ]);
  const summary = await summaryInForce(db, aiUuid, session.data());
  if (!summary) return { summary: null, turns };
  // Turns in the summary's order: by time, then by id (as the summary job reads them).
  const after = (t: QueryDocumentSnapshot) => {
    const at = t.get('timestamp') as Timestamp;
    const c = at.seconds - summary.lastTurnAt.seconds || at.nanoseconds - summary.lastTurnAt.nanoseconds;
    return c > 0 || (c === 0 && t.id > summary.lastTurn);
  };
  return { summary, turns: turns.filter(after) };
}

/** Deletes a session and its turns. What its exchanges left in working memory stays: that is the AI's memory. */
export async function deleteSession(db: Firestore, aiUuid: string, sessionId: string, viewer: Principal) {
  const session = await openSession(db, viewer, aiUuid, sessionId);
  await db.recursiveDelete(sessionsRef(db, aiUuid).doc(session.id));
  return { session_id: sessionId, deleted: true as const };
}
