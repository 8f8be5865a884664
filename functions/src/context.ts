/** @module context — what every mutating use case is handed by its route. */
import type { Firestore } from 'firebase-admin/firestore';
import type { ServiceActor } from '@memory-weaver/protocol';
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

/**
 * The context of one of the server's own jobs (extraction, consolidation, an import) acting for one
 * AI: its writes are attributed to the job (`actor` `{ kind: service, id: job }`), and it records
 * no Idempotency-Key result (a job is idempotent by its own records).
 */
export function serviceContext(
  deps: { db: Firestore; clock: Clock },
  job: { service: ServiceActor; id: string; aiUuid: string; via?: string },
): MutationContext {
  return {
    db: deps.db,
    clock: deps.clock,
    principal: { kind: 'service', service: job.service, id: job.id, aiUuid: job.aiUuid },
    via: job.via ?? job.service,
    record: () => undefined,
  };
}
