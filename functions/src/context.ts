/** @module context — what every mutating use case is handed by its route. */
import { Timestamp, type DocumentReference, type Firestore, type UpdateData, type DocumentData } from 'firebase-admin/firestore';
import type { Principal } from '@memory-weaver/core';
import type { Writer } from './http/idempotency.js';
import type { Clock } from '@memory-weaver/core';
import { aiRef, apiKeyRef } from '@memory-weaver/core';

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
 * Marks the AI (and the key that wrote) as just active, in the same commit as a memory change.
 * These are also the commit's guards: `update` fails with NOT_FOUND when its document is gone,
 * so nothing is written under an AI deleted a moment ago, or with a key revoked a moment ago
 * that this process still had cached.
 */
export function touchAi(writer: UpdateWriter, ctx: MutationContext, aiUuid: string, now: Date): void {
  const at = Timestamp.fromDate(now);
  if (ctx.principal.kind === 'ai_key') {
    writer.update(aiRef(ctx.db, aiUuid), { memoryUpdatedAt: at, lastActiveAt: at });
    writer.update(apiKeyRef(ctx.db, ctx.principal.keyId), { lastUsedAt: at });
  } else {
    writer.update(aiRef(ctx.db, aiUuid), { memoryUpdatedAt: at });
  }
}
