/**
 * @module seats — a socket's place in a room: what the room needs of the socket (`Member`) and
 * the cursor that makes delivery exactly-once and in order, even across a replay.
 */
import type { MemoryEvent, ServerToClientEvents } from '@memory-weaver/protocol';
import { eventShownTo, type Principal } from '@memory-weaver/core';

/** What a room needs of a socket: its id, its caller, a way to send and to be let go. */
export interface Member {
  id: string;
  principal: Principal;
  emit<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
  /**
   * Resolves once everything emitted so far has left the process for the member's connection:
   * true, or false when the connection closed first. A replay waits on it between batches, so
   * that a slow client holds at most one batch in the relay's send buffers.
   */
  drained(): Promise<boolean>;
  /** The room of this AI closed under this member (AI deleted, key revoked). */
  evict(aiUuid: string, reason: 'ai_deleted' | 'key_revoked'): void;
  /** Disconnects the member, which re-joins with `since` and misses nothing (a relay-side failure). */
  drop(): void;
}

export interface Seat {
  member: Member;
  /** True while the replay runs; live events wait in `buffer` meanwhile. */
  replaying: boolean;
  buffer: MemoryEvent[];
  /** The number of the last event this member was sent. */
  cursor: number;
}

/** Events from the log read on a join (`replay`), or handed on as they are committed (`live`). */
export type Phase = 'replay' | 'live';

/** Told of each event sent to a member (for metrics). */
export type OnSent = (event: MemoryEvent, phase: Phase) => void;

/** Sends the event unless this member was already sent it or a later one; true when sent. */
export const deliver = (seat: Seat, event: MemoryEvent): boolean => {
  if (event.seq <= seat.cursor) return false;
  seat.cursor = event.seq;
  // One room holds administrators' and the AI's own sockets: each sees provenance as it may.
  seat.member.emit('memory_update', eventShownTo(seat.member.principal, event));
  return true;
};

/** Hands a live event to every seat; a seat still replaying keeps it for after its replay. */
export const handOn = (seats: Iterable<Seat>, event: MemoryEvent, onSent: OnSent) => {
  for (const seat of seats) {
    if (seat.replaying) seat.buffer.push(event);
    else if (deliver(seat, event)) onSent(event, 'live');
  }
};
