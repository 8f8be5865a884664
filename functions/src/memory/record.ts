/** @module memory/record — a memory document in Firestore, and its API form. */
import type { DocumentData, Timestamp } from 'firebase-admin/firestore';
import type { Actor, Memory, MemoryType } from '@memory-weaver/protocol';
import { iso, isoOrNull, type Principal } from '@memory-weaver/core';

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

export function toMemory(id: string, tier: MemoryType, data: DocumentData): Memory {
  return {
    memory_id: id,
    memory_type: tier,
    content: String(data.content ?? ''),
    metadata: (data.metadata as Record<string, unknown> | undefined) ?? {},
    created_at: iso(data.createdAt),
    updated_at: iso(data.updatedAt),
    created_by: data.createdBy as Actor,
    updated_by: data.updatedBy as Actor,
    source: String(data.source ?? ''),
    moved_from: (data.movedFrom as MemoryType | null | undefined) ?? null,
    moved_at: isoOrNull(data.movedAt),
  };
}

/**
 * What an AI's key is shown in place of an administrator's uid. A uid is an account identifier of
 * the operators (it opens their Firebase Auth records), not something an AI client needs: it
 * learns that an administrator acted, not which one. One label for every administrator, so it
 * can't count or tell them apart either. An id (not null) keeps `Actor` as the protocol types it.
 */
export const REDACTED_ADMIN_ID = 'redacted';

/** An actor as `viewer` may see it: an administrator sees every id; a key sees no administrator's uid. */
export function actorShownTo(viewer: Principal, actor: Actor): Actor {
  // Memories written before provenance was recorded have none: at run time `actor` may be missing.
  const recorded = actor as Actor | undefined;
  if (viewer.kind === 'admin' || recorded?.kind !== 'admin') return actor;
  return { kind: 'admin', id: REDACTED_ADMIN_ID };
}

/**
 * A memory's API form as `viewer` may see it (see `actorShownTo`). Apply it to what a response
 * sends, never to what is stored: an event's copy of the memory keeps the real actor.
 */
export function memoryShownTo(viewer: Principal, memory: Memory): Memory {
  if (viewer.kind === 'admin') return memory;
  return {
    ...memory,
    created_by: actorShownTo(viewer, memory.created_by),
    updated_by: actorShownTo(viewer, memory.updated_by),
  };
}
