/**
 * @module memory/change — the one way a memory changes, with its numbered event.
 *
 * An AI's events are numbered 1, 2, 3… with no gaps, and event n is committed before event
 * n + 1: the number makes the log's order explicit. (Commit timestamps can't give that order:
 * the Firestore emulator makes documents visible out of `serverTimestamp()` order by up to tens
 * of milliseconds, measured, which made a listener skip events.)
 *
 * Numbers are taken optimistically, without locking the AI: read the AI's registry entry (it
 * must be live, and its `eventSeq` is the last committed number), then commit the change with
 * `create(events/{eventSeq + 1})`. If another change took that number first, the create fails
 * with ALREADY_EXISTS and the whole change runs again with a fresh read. Because the number read
 * was committed, n - 1 is always committed before n. (A transaction that read the registry entry
 * would serialise too, but under concurrent writers the emulator's lock waits reached seconds.)
 *
 * Concurrent changes of one AI always race for the same number, so in each process they take
 * turns (writeLine.ts) and only processes race each other; a change that keeps losing for
 * RETRY_BUDGET_MS answers 503 `unavailable` with Retry-After instead of waiting on, never a 500.
 *
 * The commit also updates the caller's key record when the caller is an AI: that update fails
 * when the key was revoked a moment ago, which a process that had the key cached can't know.
 */
import { randomUUID } from 'node:crypto';
import {
  FieldValue,
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Transaction,
} from 'firebase-admin/firestore';
import type { Actor, Memory, MemoryEventType, MemoryType } from '@memory-weaver/protocol';
import {
  ApiError,
  GRPC,
  actorOf,
  aiRef,
  apiKeyRef,
  eventId,
  eventsRef,
  grpcCode,
  notFound,
  notFoundOnMissing,
} from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { createWriteLine } from './writeLine.js';

export interface EventInput {
  type: MemoryEventType;
  memoryId: string;
  tier: MemoryType;
  fromTier?: MemoryType;
  toTier?: MemoryType;
  memory: Memory | null;
}

export interface ChangeScope {
  tx: Transaction;
  /** The snapshots of the documents asked for, in order. */
  docs: DocumentSnapshot[];
  now: Date;
  actor: Actor;
  /** Writes this change's event; call exactly once. Returns the event id. */
  event: (input: EventInput) => string;
}

/**
 * How long a change may keep losing the race for its number before the client is told to come
 * back (503 with Retry-After) rather than wait longer. Within one process the write line makes
 * losing rare; this bounds the cross-process case.
 */
const RETRY_BUDGET_MS = 10_000;
/** Backoff between attempts: exponential with full jitter, so that losers spread out. */
const BACKOFF_BASE_MS = 4;
const BACKOFF_CAP_MS = 200;
const RETRY_AFTER_SECONDS = 1;

/** One line per process: it is what serialises this process's writers to one AI (see writeLine.ts). */
const writeLine = createWriteLine();

/** Commits `change` with the AI's next event number, taking turns with this process's other changes of the AI. */
export function runChange<T>(
  ctx: MutationContext,
  aiUuid: string,
  reads: DocumentReference[],
  change: (scope: ChangeScope) => T,
): Promise<T> {
  return writeLine(aiUuid, () => commitWithRetries(ctx, aiUuid, reads, change));
}

async function commitWithRetries<T>(
  ctx: MutationContext,
  aiUuid: string,
  reads: DocumentReference[],
  change: (scope: ChangeScope) => T,
): Promise<T> {
  const principal = ctx.principal;
  const keyRef = principal.kind === 'ai_key' ? apiKeyRef(ctx.db, principal.keyId) : undefined;
  const registryRef = aiRef(ctx.db, aiUuid);
  const deadline = Date.now() + RETRY_BUDGET_MS;
  // Names this change's commits: a commit can land while its caller is told it failed (seen on the
  // emulator under load: the commit's RPC is retried after it applied and then reports
  // ALREADY_EXISTS), and a retry under a new number would then write the change twice or fail on
  // the document the landed commit created. After any failure, the event of the number tried says
  // whether the commit was in fact ours.
  const commitId = randomUUID();
  const landed: { result?: T } = {};
  for (let attempt = 0; ; attempt++) {
    const [ai, key] = await ctx.db.getAll(registryRef, ...(keyRef ? [keyRef] : []));
    const registry = ai?.data();
    if (!registry || registry.deletedAt) throw notFound('AI instance');
    if (keyRef && !key?.exists) throw new ApiError('unauthenticated', 'this API key is no longer valid');
    const seq = Number(registry.eventSeq ?? 0) + 1;
    const eventRef = eventsRef(ctx.db, aiUuid).doc(eventId(seq));
    try {
      const read = ai?.updateTime;
      return await notFoundOnMissing(
        attemptChange(ctx, aiUuid, { seq, eventRef, commitId, landed }, keyRef, reads, change, read),
        'AI instance',
      );
    } catch (err) {
      if ('result' in landed && (await eventRef.get()).get('commitId') === commitId) return landed.result;
      const code = grpcCode(err);
      if (code !== GRPC.ALREADY_EXISTS && code !== GRPC.FAILED_PRECONDITION && code !== GRPC.ABORTED) throw err;
      // ALREADY_EXISTS: another change took this number, or a concurrent request with the same
      // Idempotency-Key committed first (the route answers that one). FAILED_PRECONDITION: the
      // registry entry changed since it was read (another change, or a delete). ABORTED: the
      // transaction lost a lock to another. All but the idempotency case: read again and retry.
      if (code === GRPC.ALREADY_EXISTS && !(await eventRef.get()).exists) throw err;
      const wait = Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
      if (Date.now() + wait > deadline) {
        throw new ApiError('unavailable', 'too many concurrent changes to this AI: retry shortly', {
          retry_after_seconds: RETRY_AFTER_SECONDS,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

interface Numbered<T> {
  seq: number;
  eventRef: DocumentReference;
  /** Written into the event: which change's commit it was. */
  commitId: string;
  /** The result of the latest run of the change, kept in case its commit landed unreported. */
  landed: { result?: T };
}

function attemptChange<T>(
  ctx: MutationContext,
  aiUuid: string,
  { seq, eventRef, commitId, landed }: Numbered<T>,
  keyRef: DocumentReference | undefined,
  reads: DocumentReference[],
  change: (scope: ChangeScope) => T,
  registryReadAt: Timestamp | undefined,
): Promise<T> {
  const principal = ctx.principal;
  return ctx.db.runTransaction(async (tx) => {
    const docs = reads.length > 0 ? await tx.getAll(...reads) : [];
    const now = ctx.clock.now();
    const at = Timestamp.fromDate(now);
    const actor: Actor = actorOf(principal);
    // A count, not a boolean: TypeScript can't see the callback set it and would call the check below dead.
    let eventsWritten = 0;
    const result = change({
      tx,
      docs,
      now,
      actor,
      event: (input) => {
        if (eventsWritten > 0) throw new Error('a change writes exactly one event');
        eventsWritten++;
        tx.create(eventRef, {
          seq,
          type: input.type,
          memoryId: input.memoryId,
          tier: input.tier,
          fromTier: input.fromTier ?? null,
          toTier: input.toTier ?? null,
          at: FieldValue.serverTimestamp(),
          actor,
          via: ctx.via,
          memory: input.memory,
          commitId,
        });
        return eventRef.id;
      },
    });
    if (eventsWritten === 0) throw new Error('a change must write its event');
    // The registry update is also the guard: it fails unless the entry is still the one read (not
    // deleted, not marked deleted, no other change numbered since), without locking it.
    tx.update(
      aiRef(ctx.db, aiUuid),
      { eventSeq: seq, memoryUpdatedAt: at, ...(keyRef ? { lastActiveAt: at } : {}) },
      ...(registryReadAt ? [{ lastUpdateTime: registryReadAt }] : []),
    );
    if (keyRef) tx.update(keyRef, { lastUsedAt: at });
    landed.result = result;
    return result;
  });
}
