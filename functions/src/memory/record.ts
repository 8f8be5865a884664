/** @module memory/record — a memory document in Firestore, and its API form. */
import type { DocumentData, DocumentSnapshot, Timestamp } from 'firebase-admin/firestore';
import type { Actor, Memory, MemoryOrigin, MemoryType } from '@memory-weaver/protocol';
import { iso, isoOrNull, openDoc, type AiCipher } from '@memory-weaver/core';

/** The stored shape (camelCase, Firestore timestamps). Provenance is always set by the server. */
export interface MemoryDoc {
  content: string;
  metadata: Record<string, unknown>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  createdBy: Actor;
  updatedBy: Actor;
  /** The endpoint that created the memory, e.g. "POST /create_memory". */
  source: string;
  /** The endpoint of the latest change. */
  updatedVia: string;
  movedFrom: MemoryType | null;
  movedAt: Timestamp | null;
  /** Set by the server's own writers (extraction): which job, session and turns. */
  origin?: MemoryOrigin;
  /** The memory that replaced this one (extraction's supersede). */
  supersededBy?: string;
  confirmations?: { count: number; lastAt: Timestamp; lastJobId: string };
}

/** A new memory's document: created now, by `actor`, through `via`. */
export function newMemoryDoc(
  content: string,
  metadata: Record<string, unknown>,
  actor: Actor,
  via: string,
  at: Timestamp,
): MemoryDoc {
  return {
    content,
    metadata,
    createdAt: at,
    updatedAt: at,
    createdBy: actor,
    updatedBy: actor,
    source: via,
    updatedVia: via,
    movedFrom: null,
    movedAt: null,
  };
}

/**
 * The writer of a document stored before provenance was recorded (or written into Firestore by
 * hand): the wire always names a writer, and "imported, unknown" is what is true of such a document.
 */
const UNRECORDED: Actor = { kind: 'import', id: 'unrecorded' };

export function toMemory(id: string, tier: MemoryType, data: DocumentData): Memory {
  return {
    memory_id: id,
    memory_type: tier,
    content: String(data.content ?? ''),
    metadata: (data.metadata as Record<string, unknown> | undefined) ?? {},
    created_at: iso(data.createdAt),
    updated_at: iso(data.updatedAt),
    created_by: (data.createdBy as Actor | undefined) ?? UNRECORDED,
    updated_by: (data.updatedBy as Actor | undefined) ?? (data.createdBy as Actor | undefined) ?? UNRECORDED,
    source: String(data.source ?? ''),
    moved_from: (data.movedFrom as MemoryType | null | undefined) ?? null,
    moved_at: isoOrNull(data.movedAt),
    ...(data.origin ? { origin: data.origin as MemoryOrigin } : {}),
    ...(typeof data.supersededBy === 'string' ? { superseded_by: data.supersededBy } : {}),
    ...(data.confirmations ? { confirmations: confirmationsOf(data.confirmations as ConfirmationsDoc) } : {}),
  };
}

/**
 * A stored memory document as the API shows it, its sealed content and metadata opened with the
 * AI's cipher (core's `cipherForDocs`). `toMemory` alone takes data already opened (runChange
 * hands its callbacks opened documents).
 */
export function openedMemory(cipher: AiCipher | null, tier: MemoryType, snap: DocumentSnapshot): Memory {
  return toMemory(snap.id, tier, openDoc(cipher, snap.ref.path, snap.data() ?? {}));
}

type ConfirmationsDoc = NonNullable<MemoryDoc['confirmations']>;
const confirmationsOf = (c: ConfirmationsDoc): NonNullable<Memory['confirmations']> => ({
  count: c.count,
  last_at: iso(c.lastAt),
  last_job_id: c.lastJobId,
});

// What a caller may see of provenance lives in core, beside the access rule: the relay needs it too.
export { REDACTED_ADMIN_ID, actorShownTo, memoryShownTo } from '@memory-weaver/core';
