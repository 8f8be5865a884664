/** @module tests/support/events — read an AI's event log straight from Firestore. */
import { FieldPath, type DocumentData } from 'firebase-admin/firestore';
import { eventsRef, openSnapshots } from '@memory-weaver/core';
import { db } from './emulators.js';

/**
 * The stored events in log order (their ids sort that way), each with its document id; their
 * memory snapshots opened (they are encrypted at rest: packages/core/src/crypto/).
 */
export async function eventLog(aiUuid: string): Promise<(DocumentData & { id: string })[]> {
  const snap = await eventsRef(db, aiUuid).orderBy(FieldPath.documentId()).get();
  return (await openSnapshots(db, aiUuid, snap.docs)).map((d) => ({ id: d.id, ...d.data() }));
}
