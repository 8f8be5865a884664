/** @module presence — which AIs have a client connected to some relay process (see relay/src/presence.ts). */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { PRESENCE_FRESH_MS, RELAY_PRESENCE } from './paths.js';

export async function connectedAis(db: Firestore, now = Date.now()): Promise<Set<string>> {
  const fresh = await db
    .collection(RELAY_PRESENCE)
    .where('updatedAt', '>', Timestamp.fromMillis(now - PRESENCE_FRESH_MS))
    .get();
  return new Set(fresh.docs.flatMap((d) => (d.get('aiUuids') as string[] | undefined) ?? []));
}
