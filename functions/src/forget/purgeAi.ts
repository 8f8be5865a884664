/**
 * @module forget/purgeAi — removes everything of an AI marked deleted: the documents under its
 * registry entry (tiers, versions, vectors, events, chat sessions and turns, extraction jobs and
 * review items, consolidation runs, MCP sessions, relay messages), then what names it in the
 * top-level collections (key records, Idempotency-Key records, forget tasks, relay presence), and
 * the registry entry last: while it exists, its `deletedAt` is what tells the sweep (sweep.ts) that
 * a purge cut short has work left. Every step is idempotent.
 */
import { FieldValue, type Firestore, type Query } from 'firebase-admin/firestore';
import {
  API_KEYS,
  IDEMPOTENCY,
  RELAY_PRESENCE,
  REVOKED_API_KEYS,
  aiRef,
  destroyDataKey,
  notFound,
} from '@memory-weaver/core';
import { FORGET_TASKS } from './tasks.js';

const PAGE = 300;

export async function purgeAi(db: Firestore, aiUuid: string): Promise<void> {
  const ref = aiRef(db, aiUuid);
  const entry = await ref.get();
  // Never a live AI: only one whose delete was decided (deletedAt) or whose entry is already gone.
  if (entry.exists && !entry.get('deletedAt')) throw notFound('deleted AI instance');
  // Idempotent; deleteAi destroys the key first, this covers an AI marked deleted some other way.
  await destroyDataKey(db, aiUuid);
  for (const sub of await ref.listCollections()) await db.recursiveDelete(sub);
  for (const collection of [API_KEYS, REVOKED_API_KEYS, IDEMPOTENCY, FORGET_TASKS]) {
    await deleteAll(db, db.collection(collection).where('aiUuid', '==', aiUuid));
  }
  // A relay process lists the AIs it has clients of; it closes the room of a deleted AI and
  // republishes, and this takes the name out at once (and from the entries of processes gone).
  const presence = await db.collection(RELAY_PRESENCE).where('aiUuids', 'array-contains', aiUuid).get();
  for (const doc of presence.docs) await doc.ref.update({ aiUuids: FieldValue.arrayRemove(aiUuid) });
  await ref.delete();
}

async function deleteAll(db: Firestore, query: Query): Promise<void> {
  for (;;) {
    const page = await query.select().limit(PAGE).get();
    if (page.empty) return;
    const batch = db.batch();
    for (const doc of page.docs) batch.delete(doc.ref);
    await batch.commit();
  }
}
