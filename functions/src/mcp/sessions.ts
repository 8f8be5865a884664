/**
 * @module mcp/sessions — an MCP session's state, kept in Firestore under its AI
 * (`ai_registry/{ai}/mcp_sessions/{id}`), because the instance (or, under the Functions emulator,
 * the worker process) that answers a session's `resources/subscribe` is seldom the one holding its
 * notification stream. The state is who opened it and which tiers it follows, each from the event
 * number current when it subscribed. Tool calls need none of it: they are stateless.
 */
import {
  FieldValue,
  Timestamp,
  type DocumentData,
  type DocumentReference,
  type Firestore,
} from 'firebase-admin/firestore';
import type { MemoryType } from '@memory-weaver/protocol';
import { aiRef, notFound, type Principal } from '@memory-weaver/core';

/** A session unused for this long is gone: subscribing or opening its stream renews it. */
const SESSION_TTL_MS = 24 * 60 * 60 * 1000;

export const mcpSessionRef = (db: Firestore, aiUuid: string, sessionId: string): DocumentReference =>
  aiRef(db, aiUuid).collection('mcp_sessions').doc(sessionId);

/** The tiers a session follows, each with the event number after which its changes are news. */
export type Subscriptions = Partial<Record<MemoryType, number>>;

const callerOf = (p: Principal): { kind: string; id: string } => {
  switch (p.kind) {
    case 'admin':
      return { kind: 'admin', id: p.uid };
    case 'ai_key':
      return { kind: 'ai_key', id: p.keyId };
    case 'service':
      return { kind: 'service', id: p.id };
  }
};

const expiry = (now: Date) => Timestamp.fromMillis(now.getTime() + SESSION_TTL_MS);

export async function createSession(
  db: Firestore,
  aiUuid: string,
  principal: Principal,
  sessionId: string,
  now: Date,
): Promise<void> {
  await mcpSessionRef(db, aiUuid, sessionId).create({
    caller: callerOf(principal),
    subscriptions: {},
    createdAt: Timestamp.fromDate(now),
    expiresAt: expiry(now),
  });
}

/**
 * The session's state, if this caller opened it and it hasn't expired; else the same 404 for
 * all three (a session id says nothing about other callers' sessions). MCP clients answer a 404
 * by initializing a new session.
 */
export function usableSession(data: DocumentData | undefined, principal: Principal, now: Date): DocumentData {
  const caller = callerOf(principal);
  const owner = data?.caller as { kind?: unknown; id?: unknown } | undefined;
  const expiresAt = data?.expiresAt as Timestamp | undefined;
  if (
    !data ||
    owner?.kind !== caller.kind ||
    owner.id !== caller.id ||
    !expiresAt ||
    expiresAt.toMillis() < now.getTime()
  ) {
    throw notFound('MCP session');
  }
  return data;
}

export const subscriptionsOf = (data: DocumentData | undefined): Subscriptions =>
  (data?.subscriptions as Subscriptions | undefined) ?? {};

/**
 * Follows (`on`) or stops following a tier. A new subscription starts after the AI's current
 * event: changes from then on are notified, wherever the session's stream is held.
 */
export async function setSubscription(
  db: Firestore,
  aiUuid: string,
  principal: Principal,
  sessionId: string,
  tier: MemoryType,
  on: boolean,
  now: Date,
): Promise<void> {
  const ref = mcpSessionRef(db, aiUuid, sessionId);
  await db.runTransaction(async (tx) => {
    const [session, ai] = await tx.getAll(ref, aiRef(db, aiUuid));
    const subs = subscriptionsOf(usableSession(session?.data(), principal, now));
    if (on && subs[tier] !== undefined) return;
    const since = Number(ai?.get('eventSeq') ?? 0);
    tx.update(ref, { [`subscriptions.${tier}`]: on ? since : FieldValue.delete(), expiresAt: expiry(now) });
  });
}

export async function closeSession(db: Firestore, aiUuid: string, principal: Principal, sessionId: string, now: Date) {
  const ref = mcpSessionRef(db, aiUuid, sessionId);
  usableSession((await ref.get()).data(), principal, now);
  await ref.delete();
}
