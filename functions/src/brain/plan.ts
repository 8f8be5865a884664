/**
 * @module brain/plan — what an import will do, decided from the records and the AI as it is now,
 * before anything is written. The dry run answers this plan; the real run computes it the same
 * way and then carries out exactly its items, so the two report the same lists.
 *
 * Modes: `merge` adds what is missing and replaces what differs (the bundle wins); `skip_existing`
 * adds what is missing and leaves every existing id alone; `overwrite` is merge plus deleting what
 * the AI holds and the bundle doesn't, so the AI ends up as the bundle.
 */
import type {
  BrainMemoryRecord,
  BrainSessionRecord,
  BrainVectorRecord,
  ImportPlanItem,
  Memory,
} from '@memory-weaver/protocol';
import { contentKey } from '../search/vectors.js';
import { canonicalJson } from './bundle.js';

export type ImportMode = 'merge' | 'overwrite' | 'skip_existing';

/**
 * What makes two memories the same for an import: what the memory says and where it is, not when
 * it was written (a mem0 or Letta entry without a date gets the import's time, and a retry must
 * find it the same).
 */
export const memoryKey = (m: Memory): string =>
  canonicalJson({
    tier: m.memory_type,
    content: m.content,
    metadata: m.metadata,
    origin: m.origin ?? null,
    superseded_by: m.superseded_by ?? null,
  });

export interface Present {
  memories: Map<string, Memory>;
  sessions: Map<string, BrainSessionRecord>;
  /** Vector documents: memory id → content key as a bundle carries it (collect.ts), for the server's own model only. */
  vectors: Map<string, string>;
}

export interface Plan {
  memories: { record: BrainMemoryRecord; current: Memory | null }[];
  sessions: BrainSessionRecord[];
  /** With the content each was made from: the AI stores its own key of it (search/vectors.ts). */
  vectors: { vector: BrainVectorRecord; content: string }[];
  deleteMemories: Memory[];
  deleteSessions: string[];
  added: ImportPlanItem[];
  changed: ImportPlanItem[];
  deleted: ImportPlanItem[];
  skipped: ImportPlanItem[];
}

export interface PlanInput {
  memories: BrainMemoryRecord[];
  sessions: BrainSessionRecord[];
  vectors: BrainVectorRecord[];
  /** False when the bundle's embedding model isn't this server's: its vectors are dropped. */
  sameEmbedding: boolean;
}

export function planImport(input: PlanInput, present: Present, mode: ImportMode): Plan {
  const plan: Plan = {
    memories: [],
    sessions: [],
    vectors: [],
    deleteMemories: [],
    deleteSessions: [],
    added: [],
    changed: [],
    deleted: [],
    skipped: [],
  };
  const after = new Map<string, Memory>();
  for (const record of input.memories) {
    const m = record.memory;
    const item: ImportPlanItem = { kind: 'memory', id: m.memory_id, memory_type: m.memory_type };
    const current = present.memories.get(m.memory_id) ?? null;
    if (!current) {
      plan.added.push(item);
      plan.memories.push({ record, current });
      after.set(m.memory_id, m);
    } else if (mode === 'skip_existing') {
      plan.skipped.push({ ...item, reason: 'exists' });
      after.set(m.memory_id, current);
    } else if (memoryKey(current) === memoryKey(m)) {
      plan.skipped.push({ ...item, reason: 'identical' });
      after.set(m.memory_id, current);
    } else {
      plan.changed.push(
        current.memory_type === m.memory_type ? item : { ...item, reason: `moved from ${current.memory_type}` },
      );
      plan.memories.push({ record, current });
      after.set(m.memory_id, m);
    }
  }
  for (const s of input.sessions) {
    const item: ImportPlanItem = { kind: 'session', id: s.session_id };
    const current = present.sessions.get(s.session_id);
    if (!current) {
      plan.added.push(item);
      plan.sessions.push(s);
    } else if (mode === 'skip_existing') plan.skipped.push({ ...item, reason: 'exists' });
    else if (canonicalJson(current) === canonicalJson(s)) plan.skipped.push({ ...item, reason: 'identical' });
    else {
      plan.changed.push(item);
      plan.sessions.push(s);
    }
  }
  if (mode === 'overwrite') {
    const inBundle = new Set(input.memories.map((r) => r.memory.memory_id));
    for (const m of [...present.memories.values()].sort((a, b) => (a.memory_id < b.memory_id ? -1 : 1))) {
      if (inBundle.has(m.memory_id)) continue;
      plan.deleted.push({ kind: 'memory', id: m.memory_id, memory_type: m.memory_type });
      plan.deleteMemories.push(m);
    }
    const sessionsInBundle = new Set(input.sessions.map((s) => s.session_id));
    for (const id of [...present.sessions.keys()].sort()) {
      if (sessionsInBundle.has(id)) continue;
      plan.deleted.push({ kind: 'session', id });
      plan.deleteSessions.push(id);
    }
  }
  for (const v of input.vectors) {
    const item: ImportPlanItem = { kind: 'vector', id: v.memory_id };
    const memory = after.get(v.memory_id);
    if (!input.sameEmbedding) plan.skipped.push({ ...item, reason: 'other_embedding_model' });
    else if (!memory) plan.skipped.push({ ...item, reason: 'no_memory' });
    // Made from content the memory won't have: search would never use it, and only a key of the
    // content it was made from could be stored (an encrypted AI keys it with its own key).
    else if (v.content_key !== contentKey(memory.content)) plan.skipped.push({ ...item, reason: 'stale' });
    else if (present.vectors.get(v.memory_id) === v.content_key) plan.skipped.push({ ...item, reason: 'identical' });
    else {
      plan.added.push(item);
      plan.vectors.push({ vector: v, content: memory.content });
    }
  }
  return plan;
}
