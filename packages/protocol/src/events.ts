/** @module events — the per-AI event log: one entry per memory change. */
import type { Actor, Memory, MemoryType } from './memory.js';

export const MEMORY_EVENT_TYPES = ['created', 'updated', 'deleted', 'moved'] as const;
export type MemoryEventType = (typeof MEMORY_EVENT_TYPES)[number];

/** An entry of `ai_registry/{ai_uuid}/events`, as the API and the relay present it. */
export interface MemoryEvent {
  /** The event's number in its AI's log, zero-padded: ids sort in log order. */
  event_id: string;
  /** The same number: 1, 2, 3… with no gaps, per AI. */
  seq: number;
  ai_uuid: string;
  type: MemoryEventType;
  memory_id: string;
  /** The tier the memory is in after the change (for `deleted`: the tier it was in). */
  memory_type: MemoryType;
  from_memory_type: MemoryType | null;
  to_memory_type: MemoryType | null;
  at: string;
  actor: Actor;
  /** The endpoint that made the change. */
  via: string;
  /** The memory as the change left it; null after a delete. */
  memory: Memory | null;
}

export interface EventPage {
  events: MemoryEvent[];
  next_cursor: string | null;
}
