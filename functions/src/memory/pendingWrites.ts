/**
 * @module memory/pendingWrites — a stand-in for a Firestore transaction that holds a change's
 * writes back until the change has finished.
 *
 * Group commit (change.ts) runs several changes of one AI in one transaction. Each change writes
 * through this stand-in, so a change whose callback throws leaves nothing in the shared
 * transaction (it fails alone), and the group sees which documents each change writes before its
 * writes are passed on (a later change that reads or writes one of them waits for the next group).
 * Reads are refused: a change declares its reads up front, and they are read once for the group.
 */
import type { DocumentReference, Transaction } from 'firebase-admin/firestore';

export interface PendingWrite {
  /** The document's path. */
  path: string;
  /** A rough size of what is written (UTF-8 bytes of its strings and a few bytes per other value). */
  bytes: number;
  /** Passes the write on to the real transaction. */
  apply: (tx: Transaction) => void;
}

const WRITES = ['create', 'set', 'update', 'delete'] as const;
type WriteMethod = (typeof WRITES)[number];

/** A Transaction whose writes land in `into` instead; `tx.get`/`tx.getAll` throw. */
export function pendingTransaction(into: PendingWrite[]): Transaction {
  const stand = {} as Record<string, unknown>;
  for (const method of WRITES) {
    stand[method] = (ref: DocumentReference, ...rest: unknown[]) => {
      into.push({ path: ref.path, bytes: approxBytes(rest), apply: (tx) => call(tx, method, ref, rest) });
      return stand;
    };
  }
  const refuse = () => {
    throw new Error('a change reads only the documents it names to runChange');
  };
  for (const method of ['get', 'getAll', 'getQuery']) stand[method] = refuse;
  return stand as unknown as Transaction;
}

function call(tx: Transaction, method: WriteMethod, ref: DocumentReference, rest: unknown[]): void {
  // The four methods' overloads differ; each is called with exactly the arguments it was given.
  (tx[method] as unknown as (...args: unknown[]) => unknown).call(tx, ref, ...rest);
}

/**
 * Enough to keep a group under the emulator's 4 MiB message (and Firestore's 10 MiB commit):
 * strings count their UTF-8 bytes, plain objects and arrays their parts, anything else 16 bytes.
 */
export function approxBytes(value: unknown, depth = 0): number {
  if (typeof value === 'string') return Buffer.byteLength(value) + 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value === null || typeof value !== 'object' || depth > 20) return 16;
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + approxBytes(v, depth + 1), 0);
  if (Object.getPrototypeOf(value) !== Object.prototype) return 16;
  let sum = 0;
  for (const [k, v] of Object.entries(value)) sum += k.length + approxBytes(v, depth + 1);
  return sum;
}
