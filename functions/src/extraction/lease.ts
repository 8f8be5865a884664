/**
 * @module extraction/lease — one extraction at a time per AI decides and writes, across every
 * process. Two exchanges extracted at once must not both find "no such memory yet" and both add
 * the same fact, and the jobs may run in different function instances, so the turn is a lease
 * document (`ai_registry/{ai}/extraction_state/lease`) taken in a transaction. A holder that dies
 * loses it when it expires, so nothing waits forever. Proposing facts (the slow model call) happens
 * before the lease is taken; deciding and writing, which are quick, happen inside it.
 */
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { aiRef, notFound, isLive } from '@memory-weaver/core';

export const LEASE_MS = 60_000;
const WAIT_BASE_MS = 20;
const WAIT_CAP_MS = 500;

const leaseRef = (db: Firestore, aiUuid: string) => aiRef(db, aiUuid).collection('extraction_state').doc('lease');

/** Takes the AI's extraction lease for `holder`, waiting up to `maxWaitMs`; false when it stayed taken. */
export async function takeLease(
  db: Firestore,
  aiUuid: string,
  holder: string,
  now: () => Date,
  maxWaitMs = LEASE_MS,
): Promise<boolean> {
  const deadline = Date.now() + maxWaitMs;
  for (let attempt = 0; ; attempt++) {
    const taken = await db.runTransaction(async (tx) => {
      const [ai, lease] = await tx.getAll(aiRef(db, aiUuid), leaseRef(db, aiUuid));
      if (!isLive(ai?.data())) throw notFound('AI instance');
      const current = lease?.data() as { holder?: string; until?: Timestamp } | undefined;
      const at = now();
      if (current?.holder && current.holder !== holder && current.until && current.until.toDate() > at) return false;
      tx.set(leaseRef(db, aiUuid), { holder, until: Timestamp.fromMillis(at.getTime() + LEASE_MS) });
      return true;
    });
    if (taken) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(WAIT_CAP_MS, WAIT_BASE_MS * 2 ** attempt)));
  }
}

/** Gives the lease back if `holder` still has it. */
export async function releaseLease(db: Firestore, aiUuid: string, holder: string): Promise<void> {
  await db.runTransaction(async (tx) => {
    const lease = await tx.get(leaseRef(db, aiUuid));
    if (lease.get('holder') === holder) tx.delete(lease.ref);
  });
}
