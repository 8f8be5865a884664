/**
 * @module brain/apply — carries out an import plan. Memories go through the ordinary change path
 * (runChange: numbered, streamed, the `import` service as actor), keeping the bundle's ids, and
 * each write is idempotent by id: a change that finds the memory already as the bundle has it
 * writes nothing. So an import cut short is completed by running it again, with nothing doubled.
 */
import { FieldValue, Timestamp, type Firestore } from 'firebase-admin/firestore';
import type { BrainMemoryRecord, BrainSessionRecord, Memory } from '@memory-weaver/protocol';
import { ApiError, cipherFor, memoryRef, type AiTarget } from '@memory-weaver/core';
import { sealedTransaction } from '../crypto/sealedWrite.js';
import type { MutationContext } from '../context.js';
import { sessionsRef, turnsRef } from '../chat/sessions.js';
import { runChange } from '../memory/change.js';
import { deleteMemory } from '../memory/deleteMemory.js';
import { toMemory, type MemoryDoc } from '../memory/record.js';
import { saveVersion, versionsRef } from '../memory/versions.js';
import { contentKey, packVector, vectorsRef } from '../search/vectors.js';
import { memoryKey, type Plan } from './plan.js';
import type { ImportProgress } from './progress.js';

const ts = (at: string): Timestamp => Timestamp.fromDate(new Date(at));

/** The stored document of a memory as a bundle carries it. */
function memoryDocOf(m: Memory, via: string): MemoryDoc {
  return {
    content: m.content,
    metadata: m.metadata,
    createdAt: ts(m.created_at),
    updatedAt: ts(m.updated_at),
    createdBy: m.created_by,
    updatedBy: m.updated_by,
    source: m.source,
    updatedVia: via,
    movedFrom: m.moved_from,
    movedAt: m.moved_at ? ts(m.moved_at) : null,
    ...(m.origin ? { origin: m.origin } : {}),
    ...(m.superseded_by ? { supersededBy: m.superseded_by } : {}),
    ...(m.confirmations
      ? {
          confirmations: {
            count: m.confirmations.count,
            lastAt: ts(m.confirmations.last_at),
            lastJobId: m.confirmations.last_job_id,
          },
        }
      : {}),
  };
}

/** Thrown inside a change that finds its work already done: the change writes nothing. */
class AlreadyApplied extends Error {}

/** Runs `work` over `items`, at most `width` at a time (the write line commits them in groups). */
async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(lanes);
}

async function putMemory(
  ctx: MutationContext,
  aiUuid: string,
  record: BrainMemoryRecord,
  current: Memory | null,
): Promise<void> {
  const m = record.memory;
  const ref = memoryRef(ctx.db, aiUuid, m.memory_type, m.memory_id);
  const oldRef =
    current && current.memory_type !== m.memory_type
      ? memoryRef(ctx.db, aiUuid, current.memory_type, m.memory_id)
      : null;
  try {
    await runChange(ctx, aiUuid, oldRef ? [ref, oldRef] : [ref], ({ tx, docs, now, actor, event }) => {
      const here = docs[0]?.exists ? toMemory(m.memory_id, m.memory_type, docs[0].data() ?? {}) : null;
      const there =
        oldRef && docs[1]?.exists
          ? toMemory(m.memory_id, current?.memory_type ?? m.memory_type, docs[1].data() ?? {})
          : null;
      const replaced = here ?? there;
      if (here && !there && memoryKey(here) === memoryKey(m)) throw new AlreadyApplied();
      tx.set(ref, memoryDocOf(m, ctx.via));
      if (there) tx.delete(oldRef as NonNullable<typeof oldRef>);
      for (const v of record.versions) {
        tx.set(versionsRef(ctx.db, aiUuid).doc(`${m.memory_id}.${v.version_id}`), {
          memoryId: m.memory_id,
          eventId: v.version_id,
          change: v.change,
          replacedAt: ts(v.replaced_at),
          replacedBy: v.replaced_by,
          memory: v.memory,
        });
      }
      const moved = replaced && replaced.memory_type !== m.memory_type;
      const eventId = event({
        type: !replaced ? 'created' : moved ? 'moved' : 'updated',
        memoryId: m.memory_id,
        tier: m.memory_type,
        ...(moved ? { fromTier: replaced.memory_type, toTier: m.memory_type } : {}),
        memory: m,
      });
      // What the import replaced stays in the memory's history, as an edit's would.
      if (replaced)
        saveVersion(tx, ctx.db, aiUuid, replaced, { kind: moved ? 'moved' : 'updated', eventId, at: now, actor });
    });
  } catch (err) {
    if (!(err instanceof AlreadyApplied)) throw err;
  }
}

/** Writes a session whole: its turns first, then the turns it no longer has go, then the session document. */
async function putSession(db: Firestore, aiUuid: string, s: BrainSessionRecord): Promise<void> {
  const turns = turnsRef(db, aiUuid, s.session_id);
  const keep = new Set(s.turns.map((t) => t.chat_id));
  for (let i = 0; i < s.turns.length; i += 400) {
    // Turns and the session's name are sealed fields (packages/core/src/crypto/fields.ts): written
    // outside runChange, each group seals them with the key version the AI's registry names.
    await sealedTransaction(db, aiUuid, (tx) => {
      for (const t of s.turns.slice(i, i + 400)) {
        tx.set(turns.doc(t.chat_id), {
          message: t.message,
          response: t.response,
          userId: t.user_id,
          userKind: t.user_kind,
          timestamp: ts(t.timestamp),
          model: t.model,
          recallOnly: t.recall_only,
          memoriesUsed: t.memories_used,
        });
      }
    });
  }
  const stale = (await turns.select().get()).docs.filter((d) => !keep.has(d.id));
  for (const d of stale) await d.ref.delete();
  // Last: a session cut short before this line is found different, and written again, by a retry.
  await sealedTransaction(db, aiUuid, (tx) => {
    tx.set(sessionsRef(db, aiUuid).doc(s.session_id), {
      name: s.name,
      userId: s.user_id,
      userKind: s.user_kind,
      createdAt: ts(s.created_at),
      updatedAt: ts(s.updated_at),
      turns: s.turns.length,
    });
  });
}

async function putVectors(
  db: Firestore,
  aiUuid: string,
  model: string,
  vectors: Plan['vectors'],
  written: (n: number) => Promise<void>,
): Promise<void> {
  if (vectors.length === 0) return;
  // Vectors aren't sealed; the cipher names the content they were made from (an HMAC under the AI's key).
  const cipher = await cipherFor(db, aiUuid);
  // An AI with stored vectors turned off stores none (crypto/README.md): search embeds in memory.
  if (cipher && !cipher.storeVectors) return written(vectors.length);
  for (let i = 0; i < vectors.length; i += 400) {
    const batch = db.batch();
    for (const { vector: v, content } of vectors.slice(i, i + 400)) {
      batch.set(vectorsRef(db, aiUuid).doc(v.memory_id), {
        embedding: FieldValue.vector(v.vector),
        packed: packVector(v.vector),
        embeddingModel: model,
        // The key this AI gives the content (an HMAC under its own key when encrypted), not the bundle's.
        contentKey: contentKey(content, cipher),
      });
    }
    await batch.commit();
    await written(Math.min(400, vectors.length - i));
  }
}

/** How many changes are handed to the write line at once. */
const WIDTH = 32;

/** How many items the plan carries out (what progress counts): each memory, delete, session and vector. */
export const planSize = (plan: Plan): number =>
  plan.memories.length +
  plan.deleteMemories.length +
  plan.sessions.length +
  plan.deleteSessions.length +
  plan.vectors.length;

export async function applyPlan(
  ctx: MutationContext,
  target: AiTarget,
  plan: Plan,
  embeddingModel: string,
  progress: ImportProgress,
): Promise<void> {
  const { aiUuid } = target;
  await pool(plan.memories, WIDTH, async ({ record, current }) => {
    await putMemory(ctx, aiUuid, record, current);
    await progress.step();
  });
  await pool(plan.deleteMemories, WIDTH, async (m) => {
    try {
      await deleteMemory(ctx, target, m.memory_type, m.memory_id);
    } catch (err) {
      // Gone already (a retry, or a delete meanwhile): what the plan wanted.
      if (!(err instanceof ApiError && err.code === 'not_found')) throw err;
    }
    await progress.step();
  });
  for (const s of plan.sessions) {
    await putSession(ctx.db, aiUuid, s);
    await progress.step();
  }
  for (const id of plan.deleteSessions) {
    await ctx.db.recursiveDelete(sessionsRef(ctx.db, aiUuid).doc(id));
    await progress.step();
  }
  await putVectors(ctx.db, aiUuid, embeddingModel, plan.vectors, (n) => progress.step(n));
}
