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
 * Concurrent changes of one AI always race for the same number, so in each process they wait in
 * a line (writeLine.ts) and only processes race each other. The changes that wait while a commit
 * runs are committed together in the next one (group commit): one transaction, consecutive
 * numbers n, n + 1, …, each change's callback run in arrival order with the same ChangeScope it
 * would get alone. A change is serialised after the group's earlier ones: one that reads or writes
 * a document an earlier one writes waits for the next group (it must see that write, and reads
 * happen before writes in a transaction); one whose callback throws fails alone, its writes held
 * back (pendingWrites.ts) and its number given to the next. A commit the whole group can't make
 * for one member's sake (an Idempotency-Key taken meanwhile, a key revoked) is tried again with
 * each change alone, so only that member sees the error. A change that keeps losing the race for
 * RETRY_BUDGET_MS answers 503 `unavailable` with Retry-After instead of waiting on, never a 500.
 *
 * The commit also updates the caller's key record when the caller is an AI: that update fails
 * when the key was revoked a moment ago, which a process that had the key cached can't know.
 */
import { randomUUID } from 'node:crypto';
import {
  FieldValue,
  Timestamp,
  type DocumentData,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type Transaction,
} from 'firebase-admin/firestore';
import type {
  Actor,
  ExtractionEventInfo,
  ImportEventInfo,
  Memory,
  MemoryEventType,
  MemoryType,
  SummaryEventInfo,
} from '@memory-weaver/protocol';
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
  openSnapshot,
  processKeyring,
  sealingTransaction,
  type AiCipher,
} from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { tokenize } from '../search/keywords.js';
import { pendingTransaction, type PendingWrite } from './pendingWrites.js';
import { createWriteLine } from './writeLine.js';

export interface EventInput {
  type: MemoryEventType;
  /** Null for an event that changes no memory (extraction's progress). */
  memoryId: string | null;
  tier: MemoryType | null;
  fromTier?: MemoryType;
  toTier?: MemoryType;
  memory: Memory | null;
  /** What an extraction says about the event (extraction/); absent for everyone else's changes. */
  extraction?: ExtractionEventInfo;
  /** What an import's progress event says (brain/); absent for everyone else's. */
  import?: ImportEventInfo;
  /** What a session summary says about the event (consolidation/summaries/); absent for everyone else's. */
  summary?: SummaryEventInfo;
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
/**
 * At most this many changes per commit, and about this many bytes written: a change writes 3–6
 * documents (Firestore takes 500 writes a commit), and a memory may hold 100,000 characters
 * (the emulator refuses gRPC messages over 4 MiB).
 */
const MAX_GROUP = 32;
const MAX_GROUP_BYTES = 2 * 1024 * 1024;
/** And about this many writes: a memory's delete scrubs its events in its commit (forget/), tens of writes. */
const MAX_GROUP_WRITES = 400;

/** A change waiting in the line, with how to answer its caller. */
interface Waiting {
  ctx: MutationContext;
  reads: DocumentReference[];
  change: (scope: ChangeScope) => unknown;
  /**
   * Names this change's commits: a commit can land while its caller is told it failed (seen on the
   * emulator under load: the commit's RPC is retried after it applied and then reports
   * ALREADY_EXISTS), and a retry under a new number would then write the change twice or fail on
   * the document the landed commit created. After any failure, the event of the number tried says
   * whether the commit was in fact ours.
   */
  commitId: string;
  deadline: number;
  /** Commit this change in a group of its own (a group commit failed for one member's sake). */
  alone: boolean;
  resolve: (result: unknown) => void;
  reject: (err: unknown) => void;
}

/** One line per process: it is what serialises this process's writers to one AI (see writeLine.ts). */
const writeLine = createWriteLine<Waiting>(commitGroup, MAX_GROUP);

/** Commits `change` with the AI's next event number, in line with this process's other changes of the AI. */
export function runChange<T>(
  ctx: MutationContext,
  aiUuid: string,
  reads: DocumentReference[],
  change: (scope: ChangeScope) => T,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    writeLine(aiUuid, {
      ctx,
      reads,
      change,
      commitId: randomUUID(),
      deadline: Date.now() + RETRY_BUDGET_MS,
      alone: false,
      resolve: resolve as (result: unknown) => void,
      reject,
    });
  });
}

/** What one run of the group's transaction did with each member. */
interface Plan {
  committed: { member: Waiting; seq: number; result: unknown }[];
  failed: { member: Waiting; err: unknown }[];
  /** Members left for the next group: each conflicts with an earlier one, or the group is full. */
  later: Waiting[];
}

/** Commits what it can of `waiting` (see writeLine.ts's CommitGroup); settles every member it doesn't return. */
async function commitGroup(aiUuid: string, waiting: Waiting[]): Promise<Waiting[]> {
  // A member marked alone is committed by itself; the members after one wait for their own group.
  const cut = waiting[0]?.alone ? 1 : waiting.findIndex((m) => m.alone);
  let group = cut === -1 ? waiting : waiting.slice(0, cut);
  const after = cut === -1 ? [] : waiting.slice(cut);
  const db = (group[0] as Waiting).ctx.db;
  const registryRef = aiRef(db, aiUuid);
  for (let attempt = 0; ; attempt++) {
    const keyRefs = distinctKeyRefs(group);
    const [ai, ...keys] = await db.getAll(registryRef, ...keyRefs.values());
    const registry = ai?.data();
    if (!registry || registry.deletedAt) {
      for (const m of group) m.reject(notFound('AI instance'));
      return after;
    }
    const revoked = new Set(keys.filter((k) => !k.exists).map((k) => k.ref.path));
    group = group.filter((m) => {
      const key = keyRefOf(m);
      if (!key || !revoked.has(key.path)) return true;
      m.reject(new ApiError('unauthenticated', 'this API key is no longer valid'));
      return false;
    });
    if (group.length === 0) return after;
    const firstSeq = Number(registry.eventSeq ?? 0) + 1;
    const cipher = await changeCipher(db, aiUuid, registry);
    // The plan of the transaction's latest run, kept in case its commit landed unreported.
    const tried: { plan?: Plan } = {};
    try {
      const plan = await notFoundOnMissing(
        attemptGroup(db, aiUuid, firstSeq, group, keyRefs, ai?.updateTime, tried, cipher),
        'AI instance',
      );
      return settle(plan, after);
    } catch (err) {
      const plan = tried.plan;
      const first = plan?.committed[0];
      if (plan && first && (await eventDoc(db, aiUuid, first.seq).get()).get('commitId') === first.member.commitId) {
        return settle(plan, after);
      }
      const code = grpcCode(err);
      const race = code === GRPC.ALREADY_EXISTS || code === GRPC.FAILED_PRECONDITION || code === GRPC.ABORTED;
      // ALREADY_EXISTS: another change took this number, or a concurrent request with the same
      // Idempotency-Key committed first (the route answers that one). FAILED_PRECONDITION: the
      // registry entry changed since it was read (another change, or a delete). ABORTED: the
      // transaction lost a lock to another. All but the idempotency case: read again and retry.
      const ownFault = !race || (code === GRPC.ALREADY_EXISTS && !(await eventDoc(db, aiUuid, firstSeq).get()).exists);
      if (ownFault) {
        if (group.length === 1) {
          (group[0] as Waiting).reject(err);
          return after;
        }
        // One member's doing, but which one is unknown: each is committed alone, so it alone fails.
        for (const m of group) m.alone = true;
        return [...group, ...after];
      }
      const wait = Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
      group = group.filter((m) => {
        if (Date.now() + wait <= m.deadline) return true;
        m.reject(
          new ApiError('unavailable', 'too many concurrent changes to this AI: retry shortly', {
            retry_after_seconds: RETRY_AFTER_SECONDS,
          }),
        );
        return false;
      });
      if (group.length === 0) return after;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

function settle(plan: Plan, after: Waiting[]): Waiting[] {
  for (const { member, result } of plan.committed) member.resolve(result);
  for (const { member, err } of plan.failed) member.reject(err);
  return [...plan.later, ...after];
}

const keyRefOf = (m: Waiting): DocumentReference | undefined =>
  m.ctx.principal.kind === 'ai_key' ? apiKeyRef(m.ctx.db, m.ctx.principal.keyId) : undefined;

/** The key records of the group's callers that are AIs, by path. */
function distinctKeyRefs(group: Waiting[]): Map<string, DocumentReference> {
  const out = new Map<string, DocumentReference>();
  for (const m of group) {
    const ref = keyRefOf(m);
    if (ref) out.set(ref.path, ref);
  }
  return out;
}

const eventDoc = (db: Firestore, aiUuid: string, seq: number): DocumentReference =>
  eventsRef(db, aiUuid).doc(eventId(seq));

/**
 * One transaction for the group: the members' reads, then each member's callback in order with
 * the next number, then the registry entry (the guard) and the callers' key records.
 */
function attemptGroup(
  db: Firestore,
  aiUuid: string,
  firstSeq: number,
  group: Waiting[],
  keyRefs: Map<string, DocumentReference>,
  registryReadAt: Timestamp | undefined,
  tried: { plan?: Plan },
  cipher: AiCipher | null,
): Promise<Plan> {
  return db.runTransaction(async (tx) => {
    const wanted = new Map<string, DocumentReference>();
    for (const m of group) for (const ref of m.reads) wanted.set(ref.path, ref);
    const snapshots = wanted.size > 0 ? await tx.getAll(...wanted.values()) : [];
    const read = new Map(snapshots.map((s) => [s.ref.path, s]));
    const plan: Plan = { committed: [], failed: [], later: [] };
    const written = new Set<string>();
    let bytes = 0;
    let count = 0;
    let latest: Date | undefined;
    const usedKeys = new Map<string, Date>();
    for (const [i, m] of group.entries()) {
      const seq = firstSeq + plan.committed.length;
      const busy = plan.committed.length > 0;
      if (busy && m.reads.some((ref) => written.has(ref.path))) {
        plan.later = group.slice(i);
        break;
      }
      const writes: PendingWrite[] = [];
      let result: unknown;
      let now: Date;
      try {
        now = m.ctx.clock.now();
        result = runMember(m, seq, now, read, writes, aiUuid, cipher);
      } catch (err) {
        plan.failed.push({ member: m, err });
        continue;
      }
      const size = writes.reduce((sum, w) => sum + w.bytes, 0);
      const tooMany = bytes + size > MAX_GROUP_BYTES || count + writes.length > MAX_GROUP_WRITES;
      if (busy && (writes.some((w) => written.has(w.path)) || tooMany)) {
        plan.later = group.slice(i);
        break;
      }
      for (const w of writes) {
        w.apply(tx);
        written.add(w.path);
      }
      bytes += size;
      count += writes.length;
      plan.committed.push({ member: m, seq, result });
      if (!latest || now > latest) latest = now;
      const key = keyRefOf(m);
      if (key) usedKeys.set(key.path, now);
    }
    tried.plan = plan;
    if (!latest) return plan;
    const at = Timestamp.fromDate(latest);
    // The registry update is also the guard: it fails unless the entry is still the one read (not
    // deleted, not marked deleted, no other change numbered since), without locking it.
    tx.update(
      aiRef(db, aiUuid),
      {
        eventSeq: firstSeq + plan.committed.length - 1,
        memoryUpdatedAt: at,
        ...(usedKeys.size > 0 ? { lastActiveAt: at } : {}),
      },
      ...(registryReadAt ? [{ lastUpdateTime: registryReadAt }] : []),
    );
    for (const [path, when] of usedKeys)
      tx.update(keyRefs.get(path) as DocumentReference, { lastUsedAt: Timestamp.fromDate(when) });
    return plan;
  });
}

/** Runs one member's callback with number `seq`; its writes land in `writes`. */
function runMember(
  m: Waiting,
  seq: number,
  now: Date,
  read: Map<string, DocumentSnapshot>,
  writes: PendingWrite[],
  aiUuid: string,
  cipher: AiCipher | null,
): unknown {
  const { ctx } = m;
  // Encryption at rest happens here for every writer (crypto/fields.ts): the callback reads its
  // documents opened and writes plaintext, which is sealed for the document it lands in.
  const tx = sealingTransaction(pendingTransaction(writes), cipher, tokenize);
  const eventRef = eventDoc(ctx.db, aiUuid, seq);
  const actor: Actor = actorOf(ctx.principal);
  // A count, not a boolean: TypeScript can't see the callback set it and would call the check below dead.
  let eventsWritten = 0;
  const result = m.change({
    tx,
    docs: m.reads.map((ref) => openSnapshot(cipher, read.get(ref.path) as DocumentSnapshot)),
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
        ...(input.extraction ? { extraction: input.extraction } : {}),
        ...(input.import ? { import: input.import } : {}),
        ...(input.summary ? { summary: input.summary } : {}),
        commitId: m.commitId,
      });
      return eventRef.id;
    },
  });
  if (eventsWritten === 0) throw new Error('a change must write its event');
  return result;
}

/**
 * The AI's cipher for this commit. The registry entry names the data-key version writes must use
 * (`dataKeyVersion`, set by a rotation in the same commit as the new key): a cached cipher older
 * than that is reloaded, so no change seals with a version a rotation has begun to retire. The
 * registry guard of the commit makes this exact: a rotation that lands after this read fails the
 * commit, which is tried again with a fresh read.
 */
function changeCipher(db: Firestore, aiUuid: string, registry: DocumentData): Promise<AiCipher | null> {
  return processKeyring().cipherForWrite(db, aiUuid, registry.dataKeyVersion);
}
