/** @module context — what every mutating use case is handed by its route. */
import { Timestamp, type DocumentReference, type Firestore, type UpdateData, type DocumentData } from 'firebase-admin/firestore';
import type { Principal } from './auth/principal.js';
import type { Writer } from './http/idempotency.js';
import type { Clock } from './store/time.js';
import { aiRef } from './store/paths.js';

export interface MutationContext {
  db: Firestore;
  clock: Clock;
  principal: Principal;
  /** The endpoint, e.g. "POST /create_memory": recorded as provenance. */
  via: string;
  /** Adds the Idempotency-Key record of this response body to the pending commit (no-op without a key). */
  record: (writer: Writer, body: unknown) => void;
}

export interface UpdateWriter {
  update(ref: DocumentReference, data: UpdateData<DocumentData>): unknown;
}

/**
 * Marks the AI as just written to, in the same commit as a memory change. `update` fails with
 * NOT_FOUND when the AI document is gone, which makes it the guard that stops a memory from
 * being written under an AI deleted a moment ago.
 */
export function touchAi(writer: UpdateWriter, ctx: MutationContext, aiUuid: string, now: Date): void {
  const at = Timestamp.fromDate(now);
  writer.update(
    aiRef(ctx.db, aiUuid),
    ctx.principal.kind === 'ai_key' ? { memoryUpdatedAt: at, lastActiveAt: at } : { memoryUpdatedAt: at },
  );
}
