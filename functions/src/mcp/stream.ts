/**
 * @module mcp/stream — a session's notification stream: `notifications/resources/updated` for each
 * tier it subscribed to, driven by the AI's numbered event log, so a change made anywhere (HTTP,
 * chat, the console, another MCP session) is news here.
 *
 * The stream is the session's GET request. The process holding it tails the AI's event log
 * (a Firestore listener from a known event number) and the session document (whose subscriptions
 * another process may change at any moment), and notifies event n for tier t when the session
 * follows t from before n. Each notification's SSE id is its event id, so a client that reconnects
 * (the stream ends itself before the function's timeout) sends it back as `Last-Event-ID` and
 * the new stream, on whichever process, starts after it: nothing missed, nothing twice.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Firestore } from 'firebase-admin/firestore';
import { tierUri, type MemoryType } from '@memory-weaver/protocol';
import { aiRef, apiKeyRef, eventId, eventSeq, orderedEvents, type Principal } from '@memory-weaver/core';
import { mcpSessionRef, subscriptionsOf, usableSession, type Subscriptions } from './sessions.js';

/**
 * A stream ends itself this long after it opened, under the function's 300 s timeout, so that the
 * client's reconnect (with Last-Event-ID) replaces it cleanly instead of the platform cutting it.
 */
export const STREAM_LIFETIME_MS = 240_000;
/** How far back a stream without Last-Event-ID, or with an old one, starts: a bound on its first read. */
const MAX_CATCH_UP = 1_000;
/** Events remembered, for subscriptions that arrive after the event they concern. */
const RECENT_EVENTS = 1_000;

const META_KEY = 'memory-weaver/event_id';

/**
 * The SSE ids of the stream. Only the standalone GET stream uses the store (POST answers are JSON),
 * and there the id is the AI event the notification is about. Replaying needs no store: the
 * stream opened with Last-Event-ID reads the log after it (`openStream`'s `after`).
 */
export const streamIds: EventStore = {
  storeEvent: (_stream, message: JSONRPCMessage) => {
    const meta = (message as { params?: { _meta?: Record<string, unknown> } }).params?._meta;
    const id = meta?.[META_KEY];
    return Promise.resolve(typeof id === 'string' ? id : randomUUID());
  },
  replayEventsAfter: () => Promise.resolve('_GET_stream'),
};

export interface StreamOptions {
  db: Firestore;
  aiUuid: string;
  sessionId: string;
  principal: Principal;
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- reason: mcp/server.ts builds the low-level Server on purpose
  server: Server;
  /** The event id of the client's Last-Event-ID, if it sent one. */
  lastEventId: string | undefined;
  now: Date;
  /** The stream is over (session gone, key revoked, lifetime reached): end the response. */
  onEnd: () => void;
}

/** Starts following; returns the function that stops every listener. Throws 404 for an unusable session. */
export async function openStream(o: StreamOptions): Promise<() => void> {
  const sessionRef = mcpSessionRef(o.db, o.aiUuid, o.sessionId);
  const [ai, session] = await o.db.getAll(aiRef(o.db, o.aiUuid), sessionRef);
  let subs: Subscriptions = subscriptionsOf(usableSession(session?.data(), o.principal, o.now));
  const current = Number(ai?.get('eventSeq') ?? 0);
  const resumed = o.lastEventId === undefined ? null : eventSeq(o.lastEventId);
  // Without a Last-Event-ID, start where the oldest subscription did: a change made between a
  // subscribe and this stream opening is still news. No subscription: from now.
  const since = Object.values(subs).filter((n): n is number => typeof n === 'number');
  const start = Math.max(resumed ?? Math.min(current, ...since), current - MAX_CATCH_UP, 0);

  const recent = new Map<number, { tiers: MemoryType[]; sent: Set<MemoryType> }>();
  const consider = (seq: number) => {
    const entry = recent.get(seq);
    if (!entry) return;
    for (const tier of entry.tiers) {
      const from = subs[tier];
      if (from === undefined || seq <= from || entry.sent.has(tier)) continue;
      entry.sent.add(tier);
      void o.server
        .sendResourceUpdated({ uri: tierUri(o.aiUuid, tier), _meta: { [META_KEY]: eventId(seq) } })
        .catch(() => undefined); // the stream closed under it: the client resumes after its last id
    }
  };

  let ended = false;
  const stops: (() => void)[] = [];
  const end = () => {
    if (ended) return;
    ended = true;
    for (const stop of stops) stop();
    o.onEnd();
  };
  stops.push(
    orderedEvents(o.db, o.aiUuid)
      .startAfter(eventId(start))
      .onSnapshot((snap) => {
        for (const change of snap.docChanges()) {
          if (change.type !== 'added') continue;
          const d = change.doc.data();
          const seq = Number(d.seq);
          const tiers = [d.tier, d.fromTier].filter((t): t is MemoryType => typeof t === 'string');
          recent.set(seq, { tiers, sent: new Set() });
          consider(seq);
        }
        // Map order is insertion order: the first keys are the oldest seen.
        for (const seq of recent.keys()) {
          if (recent.size <= RECENT_EVENTS) break;
          recent.delete(seq);
        }
      }, end),
    sessionRef.onSnapshot((snap) => {
      if (!snap.exists) {
        end();
        return;
      }
      subs = subscriptionsOf(snap.data());
      for (const seq of recent.keys()) consider(seq);
    }, end),
  );
  // A revoked or rotated key deletes its record: its stream ends at once, as its requests do.
  if (o.principal.kind === 'ai_key') {
    stops.push(
      apiKeyRef(o.db, o.principal.keyId).onSnapshot((snap) => {
        if (!snap.exists) end();
      }, end),
    );
  }
  const timer = setTimeout(end, STREAM_LIFETIME_MS);
  stops.push(() => {
    clearTimeout(timer);
  });
  return () => {
    ended = true;
    for (const stop of stops) stop();
  };
}
