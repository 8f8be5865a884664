/**
 * @module search/retrievals — when each long-term memory was last retrieved (a search hit, or a
 * memory put in a chat's context), kept at `ai_registry/{ai}/retrievals/{memoryId}` as
 * `{ lastAt, count }`. Consolidation reads it to propose long-term memories nobody has needed for a
 * while (consolidation/plan.ts).
 *
 * Off the hot path: a search only notes its ids in this instance's buffer (a Map update); the
 * buffer is written every FLUSH_MS, or at once when it holds MAX_PENDING memories, as one write
 * per memory however often it was retrieved meanwhile. A flush that fails is logged and dropped,
 * never retried into a search and never failing one: a lost flush only makes a memory look less
 * retrieved than it was, so at worst it is *proposed* for archiving, which the admin decides
 * (nothing is archived by this alone). Two instances flushing the same memory may set `lastAt` a
 * few seconds back; `count` is an increment and stays exact.
 *
 * A flush reads the registry entries of the AIs it writes for and skips deleted ones, so a late
 * flush does not bring back documents under an AI that was just purged.
 */
import { FieldValue, Timestamp, type Firestore } from 'firebase-admin/firestore';
import { aiRef } from '@memory-weaver/core';

export const RETRIEVALS = 'retrievals';
export const retrievalsRef = (db: Firestore, aiUuid: string) => aiRef(db, aiUuid).collection(RETRIEVALS);

export interface RetrievalDoc {
  lastAt: Timestamp;
  count: number;
}

export interface RetrievalOptions {
  /** How long noted retrievals wait in the buffer before they are written. */
  flushMs?: number;
  /** Buffered memories (all AIs) that make a flush start at once. */
  maxPending?: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
  now?: () => number;
}

const FLUSH_MS = 2_000;
const MAX_PENDING = 2_000;
/** Writes per batch: Firestore takes 500 a commit. */
const BATCH = 400;

interface Pending {
  lastAt: number;
  count: number;
}

export class RetrievalRecorder {
  private pending = new Map<string, Map<string, Pending>>();
  private size = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Firestore,
    private readonly options: RetrievalOptions = {},
  ) {}

  /** Notes that these long-term memories of the AI were retrieved now. Never throws, never waits. */
  note(aiUuid: string, memoryIds: readonly string[]): void {
    if (memoryIds.length === 0) return;
    const at = (this.options.now ?? Date.now)();
    let ai = this.pending.get(aiUuid);
    if (!ai) {
      ai = new Map();
      this.pending.set(aiUuid, ai);
    }
    for (const id of memoryIds) {
      const p = ai.get(id);
      if (p) {
        p.lastAt = at;
        p.count += 1;
      } else {
        ai.set(id, { lastAt: at, count: 1 });
        this.size += 1;
      }
    }
    if (this.size >= (this.options.maxPending ?? MAX_PENDING)) {
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushMs ?? FLUSH_MS);
      // The buffer must not keep a process alive that has nothing else to do.
      this.timer.unref();
    }
  }

  /** Writes what is buffered; resolves when this flush (and any before it) has ended. Never rejects. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const taken = this.pending;
    this.pending = new Map();
    this.size = 0;
    this.flushing = this.flushing.then(() => this.write(taken));
    return this.flushing;
  }

  private async write(taken: Map<string, Map<string, Pending>>): Promise<void> {
    if (taken.size === 0) return;
    try {
      const ais = [...taken.keys()];
      const registry = await this.db.getAll(...ais.map((a) => aiRef(this.db, a)));
      const live = new Set(registry.filter((r) => r.exists && !r.get('deletedAt')).map((r) => r.id));
      let batch = this.db.batch();
      let n = 0;
      const commits: Promise<unknown>[] = [];
      for (const [aiUuid, memories] of taken) {
        if (!live.has(aiUuid)) continue;
        for (const [id, p] of memories) {
          batch.set(
            retrievalsRef(this.db, aiUuid).doc(id),
            { lastAt: Timestamp.fromMillis(p.lastAt), count: FieldValue.increment(p.count) },
            { merge: true },
          );
          if (++n % BATCH === 0) {
            commits.push(batch.commit());
            batch = this.db.batch();
          }
        }
      }
      if (n % BATCH !== 0) commits.push(batch.commit());
      await Promise.all(commits);
    } catch (err) {
      this.options.log?.('retrievals flush failed', { message: err instanceof Error ? err.message : String(err) });
    }
  }
}

/** Last retrieval of each of these memories that has one (ids without a document were never retrieved). */
export async function lastRetrievals(db: Firestore, aiUuid: string, ids: string[]): Promise<Map<string, Timestamp>> {
  const out = new Map<string, Timestamp>();
  for (let i = 0; i < ids.length; i += 300) {
    const refs = ids.slice(i, i + 300).map((id) => retrievalsRef(db, aiUuid).doc(id));
    if (refs.length === 0) continue;
    for (const d of await db.getAll(...refs)) {
      const at = d.get('lastAt') as Timestamp | undefined;
      if (at) out.set(d.id, at);
    }
  }
  return out;
}
