/**
 * @module memory/versions — every earlier state of a memory. An edit, a move, a supersede or a
 * restore writes the state it replaces to `ai_registry/{ai}/versions/{memoryId}.{eventId}` in the
 * same commit as the change, so the history can't miss a change nor hold one that didn't happen.
 * The event id names the change that replaced the state, so a memory's versions sort in log order.
 *
 * One flat collection per AI (queried by `memoryId`, a single-field index) rather than a
 * subcollection under the memory: memories move between tier collections, their history doesn't.
 */
import {
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type Transaction,
} from 'firebase-admin/firestore';
import type { Actor, Memory, MemoryVersion } from '@memory-weaver/protocol';
import { aiRef, cipherForDocs, iso, openField, type AiCipher } from '@memory-weaver/core';

export const VERSIONS = 'versions';
/** The most versions a history lists; older ones stay stored. */
export const VERSIONS_LISTED = 200;

/** What replaced a state: the kind of change. */
export type VersionChange = 'updated' | 'moved' | 'superseded' | 'restored';

export const versionsRef = (db: Firestore, aiUuid: string) => aiRef(db, aiUuid).collection(VERSIONS);

export function saveVersion(
  tx: Transaction,
  db: Firestore,
  aiUuid: string,
  replaced: Memory,
  change: { kind: VersionChange; eventId: string; at: Date; actor: Actor },
): void {
  tx.create(versionsRef(db, aiUuid).doc(`${replaced.memory_id}.${change.eventId}`), {
    memoryId: replaced.memory_id,
    eventId: change.eventId,
    change: change.kind,
    replacedAt: Timestamp.fromDate(change.at),
    replacedBy: change.actor,
    memory: replaced,
  });
}

/** A memory's earlier states, newest first. */
export async function listVersions(db: Firestore, aiUuid: string, memoryId: string): Promise<MemoryVersion[]> {
  const docs = (await versionsRef(db, aiUuid).where('memoryId', '==', memoryId).get()).docs;
  const cipher = await cipherForDocs(db, aiUuid, docs);
  return docs
    .map((d) => toVersion(aiUuid, d, cipher))
    .sort((a, b) => (a.version_id < b.version_id ? 1 : -1))
    .slice(0, VERSIONS_LISTED);
}

/** One version, or null when the memory has none of that id. */
export async function readVersion(
  db: Firestore,
  aiUuid: string,
  memoryId: string,
  versionId: string,
): Promise<MemoryVersion | null> {
  const snap = await versionsRef(db, aiUuid).doc(`${memoryId}.${versionId}`).get();
  return snap.exists ? toVersion(aiUuid, snap, await cipherForDocs(db, aiUuid, [snap])) : null;
}

/** The references of a memory's versions, for a delete to take them along. */
export async function versionRefs(db: Firestore, aiUuid: string, memoryId: string): Promise<DocumentReference[]> {
  return (await versionsRef(db, aiUuid).where('memoryId', '==', memoryId).select().get()).docs.map((d) => d.ref);
}

/** The replaced state is sealed at rest like the memory it was (crypto/fields.ts). */
function toVersion(aiUuid: string, snap: DocumentSnapshot, cipher: AiCipher | null): MemoryVersion {
  const d = snap.data() ?? {};
  return {
    version_id: String(d.eventId),
    change: String(d.change),
    replaced_at: iso(d.replacedAt),
    replaced_by: d.replacedBy as Actor,
    memory: openField(cipher, aiUuid, d.memory, snap.ref.path, 'memory') as Memory,
  };
}
