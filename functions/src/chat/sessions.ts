/** @module chat/sessions — an AI's chat sessions and their turns (seed: `chat_sessions`, `chats`). */
import { FieldPath, type DocumentData, type Firestore, type Timestamp } from 'firebase-admin/firestore';
import type { ChatSession, ChatTurn } from '@memory-weaver/protocol';
import { aiRef, decodeCursor, encodeCursor, iso, notFound } from '@memory-weaver/core';

export const sessionsRef = (db: Firestore, aiUuid: string) => aiRef(db, aiUuid).collection('chat_sessions');
export const turnsRef = (db: Firestore, aiUuid: string, sessionId: string) =>
  sessionsRef(db, aiUuid).doc(sessionId).collection('chats');

export function toSession(id: string, d: DocumentData): ChatSession {
  return {
    session_id: id,
    name: String(d.name ?? ''),
    user_id: String(d.userId ?? ''),
    created_at: iso(d.createdAt),
    updated_at: iso(d.updatedAt),
    turns: Number(d.turns ?? 0),
  };
}

export function toTurn(id: string, d: DocumentData): ChatTurn {
  return {
    chat_id: id,
    message: String(d.message ?? ''),
    response: String(d.response ?? ''),
    user_id: String(d.userId ?? ''),
    timestamp: iso(d.timestamp),
    model: String(d.model ?? ''),
  };
}

export async function listSessions(
  db: Firestore,
  aiUuid: string,
  page: { limit: number; cursor?: string | undefined },
) {
  let q = sessionsRef(db, aiUuid).orderBy('updatedAt', 'desc').orderBy(FieldPath.documentId(), 'desc');
  if (page.cursor) {
    const c = decodeCursor(page.cursor);
    q = q.startAfter(c.at, c.id);
  }
  const docs = (await q.limit(page.limit + 1).get()).docs;
  const shown = docs.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    sessions: shown.map((d) => toSession(d.id, d.data())),
    next_cursor: docs.length > page.limit && last ? encodeCursor(last.get('updatedAt') as Timestamp, last.id) : null,
  };
}

export async function getSession(db: Firestore, aiUuid: string, sessionId: string) {
  const snap = await sessionsRef(db, aiUuid).doc(sessionId).get();
  if (!snap.exists) throw notFound('chat session');
  const turns = await recentTurns(db, aiUuid, sessionId, 500);
  return { ...toSession(snap.id, snap.data() ?? {}), chats: turns };
}

/** The newest `limit` turns of a session, returned oldest first. */
export async function recentTurns(
  db: Firestore,
  aiUuid: string,
  sessionId: string,
  limit: number,
): Promise<ChatTurn[]> {
  const docs = (await turnsRef(db, aiUuid, sessionId).orderBy('timestamp', 'desc').limit(limit).get()).docs;
  return docs.map((d) => toTurn(d.id, d.data())).reverse();
}

/** Deletes a session and its turns. What its exchanges left in working memory stays: that is the AI's memory. */
export async function deleteSession(db: Firestore, aiUuid: string, sessionId: string) {
  const ref = sessionsRef(db, aiUuid).doc(sessionId);
  if (!(await ref.get()).exists) throw notFound('chat session');
  await db.recursiveDelete(ref);
  return { session_id: sessionId, deleted: true as const };
}
