/**
 * @module provenance — what a caller may see of who did what. An administrator sees every actor;
 * an AI's key sees that an administrator acted, not which one: a uid is an account identifier of
 * the operators (it opens their Firebase Auth records), not something an AI client needs. Applied
 * to what a response or a socket sends, never to what is stored.
 */
import type { Actor, Memory, MemoryEvent } from '@memory-weaver/protocol';
import type { Principal } from './principal.js';

/**
 * What an AI's key is shown in place of an administrator's uid: one label for every
 * administrator, so a key can't count or tell them apart either. An id (not null) keeps `Actor`
 * as the protocol types it.
 */
export const REDACTED_ADMIN_ID = 'redacted';

/** An actor as `viewer` may see it. */
export function actorShownTo(viewer: Principal, actor: Actor): Actor {
  // Memories written before provenance was recorded have none: at run time `actor` may be missing.
  const recorded = actor as Actor | undefined;
  if (viewer.kind === 'admin' || recorded?.kind !== 'admin') return actor;
  return { kind: 'admin', id: REDACTED_ADMIN_ID };
}

/** A memory's API form as `viewer` may see it. */
export function memoryShownTo(viewer: Principal, memory: Memory): Memory {
  if (viewer.kind === 'admin') return memory;
  return {
    ...memory,
    created_by: actorShownTo(viewer, memory.created_by),
    updated_by: actorShownTo(viewer, memory.updated_by),
  };
}

/** An event of the log as `viewer` may see it: its actor and its copy of the memory. */
export function eventShownTo(viewer: Principal, event: MemoryEvent): MemoryEvent {
  if (viewer.kind === 'admin') return event;
  return {
    ...event,
    actor: actorShownTo(viewer, event.actor),
    memory: event.memory ? memoryShownTo(viewer, event.memory) : null,
  };
}
