/**
 * @module brain/collect — an AI read whole into bundle records, in a fixed order (memories by
 * tier then id, sessions by id, turns by time then id, events in log order, vectors by memory id),
 * so that the same AI always gives the same records. What a caller may see is what the API shows
 * it (an AI's key sees no administrator's uid and no administrator's session).
 */
import type { DocumentData, Firestore, QueryDocumentSnapshot } from 'firebase-admin/firestore';
import {
  MEMORY_TYPES,
  type BrainRecord,
  type BrainSessionRecord,
  type BrainTurn,
  type Memory,
  type MemoryType,
  type MemoryVersion,
} from '@memory-weaver/protocol';
import { actorShownTo, iso, orderedEvents, tierRef, toMemoryEvent, type Principal } from '@memory-weaver/core';
import { mayUseSession, sessionsRef, turnsRef } from '../chat/sessions.js';
import { memoryShownTo, toMemory } from '../memory/record.js';
import { versionsRef } from '../memory/versions.js';
import { vectorsRef } from '../search/vectors.js';

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export interface Collected {
  memories: Memory[];
  versions: Map<string, MemoryVersion[]>;
}

/** Every memory of the AI, by tier then id. */
export async function readMemories(db: Firestore, aiUuid: string): Promise<Memory[]> {
  const out: Memory[] = [];
  for (const tier of MEMORY_TYPES) {
    const docs = (await tierRef(db, aiUuid, tier).get()).docs.sort(byId);
    for (const d of docs) out.push(toMemory(d.id, tier, d.data()));
  }
  return out;
}

/** Every stored version of the AI, by memory, oldest first. */
export async function readVersions(db: Firestore, aiUuid: string): Promise<Map<string, MemoryVersion[]>> {
  const out = new Map<string, MemoryVersion[]>();
  const docs = (await versionsRef(db, aiUuid).get()).docs.sort(byId);
  for (const d of docs) {
    const v = d.data();
    const list = out.get(String(v.memoryId)) ?? [];
    list.push({
      version_id: String(v.eventId),
      change: String(v.change),
      replaced_at: iso(v.replacedAt),
      replaced_by: v.replacedBy as MemoryVersion['replaced_by'],
      memory: v.memory as Memory,
    });
    out.set(String(v.memoryId), list);
  }
  return out;
}

function turnOf(d: QueryDocumentSnapshot): BrainTurn {
  const t = d.data();
  return {
    chat_id: d.id,
    message: String(t.message ?? ''),
    response: String(t.response ?? ''),
    user_kind: String(t.userKind ?? 'admin'),
    user_id: String(t.userId ?? ''),
    timestamp: iso(t.timestamp),
    model: String(t.model ?? ''),
    recall_only: t.recallOnly === true,
    memories_used: Array.isArray(t.memoriesUsed) ? (t.memoriesUsed as unknown[]).map(String) : [],
  };
}

export function sessionRecordOf(id: string, s: DocumentData, turns: QueryDocumentSnapshot[]): BrainSessionRecord {
  return {
    type: 'session',
    session_id: id,
    name: String(s.name ?? ''),
    user_kind: String(s.userKind ?? 'admin'),
    user_id: String(s.userId ?? ''),
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt),
    turns: turns.map(turnOf).sort((a, b) => (a.timestamp + a.chat_id < b.timestamp + b.chat_id ? -1 : 1)),
  };
}

/** Every session the viewer may use, by id, with its turns. */
export async function readSessions(db: Firestore, aiUuid: string, viewer: Principal): Promise<BrainSessionRecord[]> {
  const docs = (await sessionsRef(db, aiUuid).get()).docs.sort(byId).filter((d) => mayUseSession(viewer, d.data()));
  const out: BrainSessionRecord[] = [];
  for (const d of docs) out.push(sessionRecordOf(d.id, d.data(), (await turnsRef(db, aiUuid, d.id).get()).docs));
  return out;
}

const shownVersion = (viewer: Principal, v: MemoryVersion): MemoryVersion => ({
  ...v,
  replaced_by: actorShownTo(viewer, v.replaced_by),
  memory: memoryShownTo(viewer, v.memory),
});

const shownTurn = (viewer: Principal, t: BrainTurn): BrainTurn =>
  t.user_kind === 'ai_key' ? t : { ...t, user_id: actorShownTo(viewer, { kind: 'admin', id: t.user_id }).id };

export interface CollectOptions {
  events: boolean;
  vectors: boolean;
}

/** The AI's records in bundle order. */
export async function collectRecords(
  db: Firestore,
  aiUuid: string,
  viewer: Principal,
  opts: CollectOptions,
): Promise<BrainRecord[]> {
  const [memories, versions, sessions] = await Promise.all([
    readMemories(db, aiUuid),
    readVersions(db, aiUuid),
    readSessions(db, aiUuid, viewer),
  ]);
  const records: BrainRecord[] = memories.map((m) => ({
    type: 'memory',
    memory: memoryShownTo(viewer, m),
    versions: (versions.get(m.memory_id) ?? []).map((v) => shownVersion(viewer, v)),
  }));
  for (const s of sessions) records.push({ ...s, turns: s.turns.map((t) => shownTurn(viewer, t)) });
  if (opts.events) {
    for (const d of (await orderedEvents(db, aiUuid).get()).docs) {
      const e = toMemoryEvent(aiUuid, d);
      records.push({
        type: 'event',
        event: {
          ...e,
          actor: actorShownTo(viewer, e.actor),
          memory: e.memory ? memoryShownTo(viewer, e.memory) : null,
        },
      });
    }
  }
  if (opts.vectors) {
    const docs = (await vectorsRef(db, aiUuid).select('packed', 'embeddingModel', 'contentKey').get()).docs.sort(byId);
    for (const d of docs) {
      const packed = d.get('packed') as Uint8Array | undefined;
      if (!packed) continue;
      const bytes = Buffer.from(packed);
      const vector: number[] = [];
      for (let i = 0; i + 4 <= bytes.length; i += 4) vector.push(bytes.readFloatLE(i));
      records.push({
        type: 'vector',
        memory_id: d.id,
        model: String(d.get('embeddingModel') ?? ''),
        content_key: String(d.get('contentKey') ?? ''),
        vector,
      });
    }
  }
  return records;
}

/** How many memories each tier holds. */
export function tierCounts(records: BrainRecord[]): Record<MemoryType, number> {
  const counts = Object.fromEntries(MEMORY_TYPES.map((t) => [t, 0])) as Record<MemoryType, number>;
  for (const r of records) if (r.type === 'memory') counts[r.memory.memory_type] += 1;
  return counts;
}
