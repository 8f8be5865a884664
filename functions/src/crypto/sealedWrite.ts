/**
 * @module crypto/sealedWrite — a write to an AI's sealed fields that doesn't go through runChange
 * (packages/core/src/crypto/README.md, "For other code"): a transaction that reads the AI's registry
 * entry and seals with the key version it names. A key rotation changes that entry when it begins,
 * so a write racing it conflicts and runs again with the new version, as runChange's do; none lands
 * with a version the rotation has already passed (and will delete).
 */
import type { DocumentSnapshot, Firestore, Transaction } from 'firebase-admin/firestore';
import { aiRef, processKeyring, sealingTransaction } from '@memory-weaver/core';

export function sealedTransaction<T>(
  db: Firestore,
  aiUuid: string,
  write: (tx: Transaction, registry: DocumentSnapshot) => Promise<T> | T,
): Promise<T> {
  return db.runTransaction(async (plain) => {
    const registry = await plain.get(aiRef(db, aiUuid));
    const cipher = await processKeyring().cipherForWrite(db, aiUuid, registry.get('dataKeyVersion'));
    return write(sealingTransaction(plain, cipher), registry);
  });
}
