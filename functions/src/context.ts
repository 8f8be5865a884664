/** @module context — what every mutating use case is handed by its route. */
import type { Firestore } from 'firebase-admin/firestore';
import type { Clock, Principal } from '@memory-weaver/core';
import type { Writer } from './http/idempotency.js';

export interface MutationContext {
  db: Firestore;
  clock: Clock;
  principal: Principal;
  /** The endpoint, e.g. "POST /create_memory": recorded as provenance. */
  via: string;
  /** Adds the Idempotency-Key record of this response body to the pending commit (no-op without a key). */
  record: (writer: Writer, body: unknown) => void;
}
