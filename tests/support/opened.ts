/**
 * @module tests/support/opened — a stored document read straight from Firestore, its encrypted
 * fields opened as the API opens them (packages/core/src/crypto/): what a test means by "what was
 * stored". Tests that must see the raw bytes read the document themselves (tests/crypto/).
 */
import type { DocumentData, DocumentReference } from 'firebase-admin/firestore';
import { AI_REGISTRY, openSnapshots } from '@memory-weaver/core';
import { db } from './emulators.js';

export async function openedData(ref: DocumentReference): Promise<DocumentData | undefined> {
  const [root, aiUuid] = ref.path.split('/');
  const snap = await ref.get();
  if (root !== AI_REGISTRY || !aiUuid) return snap.data();
  const [opened] = await openSnapshots(db, aiUuid, [snap]);
  return opened?.data();
}
