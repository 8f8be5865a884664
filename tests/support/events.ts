/** @module tests/support/events — read an AI's event log straight from Firestore. */
import { FieldPath } from 'firebase-admin/firestore';
import { db } from './emulators.js';

export async function eventLog(aiUuid: string) {
  const snap = await db.collection(`ai_registry/${aiUuid}/events`).orderBy(FieldPath.documentId()).get();
  return snap.docs.map((d) => ({ id: d.id, ...d.data() }) as Record<string, any> & { id: string });
}
