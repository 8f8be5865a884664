/**
 * @module replay — brings a newly seated member up to date: the events after `since` read from the
 * log batch by batch, then the live events that arrived meanwhile. The seat's cursor drops the
 * overlap, so the member sees no gap and no duplicate at the seam.
 *
 * A replay is bounded twice: a member more than `maxEvents` behind is refused with
 * `resync_required` (it reads the state through the HTTP API and joins again from where that
 * state ends), and each batch waits until the member's connection has taken the previous one, so
 * a slow client can't make the relay buffer its whole backlog.
 */
import type { MemoryEvent, ResyncDetails } from '@memory-weaver/protocol';
import { ApiError, eventId } from '@memory-weaver/core';
import { deliver, type OnSent, type Seat } from './seats.js';

export interface ReplayLimits {
  /** The most events replayed on a join; a member further behind is told to resync. */
  maxEvents: number;
  /** Events read and sent at a time (each a full memory). */
  batch: number;
}

export const DEFAULT_REPLAY_LIMITS: ReplayLimits = { maxEvents: 1_000, batch: 100 };

/** The AI's event log as a replay reads it. */
export interface EventLog {
  /** The number of the event with this id (0 for `000000000000`, the start); 404 if the log never had it. */
  seqOf(id: string): Promise<number>;
  /** Up to `limit` events after number `seq`, in order. */
  after(seq: number, limit: number): Promise<MemoryEvent[]>;
}

export interface Replayed {
  /** How many past events were replayed. */
  replayed: number;
  /** The id of the last event before the live ones (null: the log was empty). */
  lastEventId: string | null;
}

export interface ReplayRequest {
  /** The last event the member saw; undefined: no replay, live events only. */
  since: string | undefined;
  /**
   * The newest event that is history for this seat: every later one is handed on live (into the
   * seat's buffer while the replay runs). A member that asks for no replay starts after it.
   */
  liveFrom: number;
}

export function resyncRequired(behind: number, resumeFrom: number, maxEvents: number): ApiError {
  const details: ResyncDetails = { last_event_id: eventId(resumeFrom), behind, max_replay: maxEvents };
  return new ApiError(
    'resync_required',
    `this client is ${behind} events behind, more than the ${maxEvents} the relay replays: read the ` +
      `memories through the HTTP API, then join again with since "${details.last_event_id}" ` +
      '(details.last_event_id) so that no change after what you read is missed',
    details,
  );
}

export async function replay(
  seat: Seat,
  log: EventLog,
  { since, liveFrom }: ReplayRequest,
  limits: ReplayLimits,
  onSent: OnSent,
): Promise<Replayed> {
  let replayed = 0;
  if (since === undefined) {
    seat.cursor = Math.max(seat.cursor, liveFrom);
  } else {
    seat.cursor = Math.max(seat.cursor, await log.seqOf(since));
    const behind = liveFrom - seat.cursor;
    // Everything up to liveFrom is committed, so state read after this refusal includes it.
    if (behind > limits.maxEvents) throw resyncRequired(behind, liveFrom, limits.maxEvents);
    while (seat.cursor < liveFrom) {
      const batch = await log.after(seat.cursor, Math.min(limits.batch, liveFrom - seat.cursor));
      for (const event of batch) {
        if (deliver(seat, event)) {
          replayed += 1;
          onSent(event, 'replay');
        }
      }
      // The log ends before liveFrom only once the AI is deleted (and its room closes): stop, not spin.
      if (batch.length === 0) break;
      // The member left: its disconnect clean-up gives the seat back, nothing more to send.
      if (!(await seat.member.drained())) break;
    }
  }
  const from = seat.cursor;
  for (const event of seat.buffer) if (deliver(seat, event)) onSent(event, 'live');
  seat.buffer = [];
  seat.replaying = false;
  return { replayed, lastEventId: from > 0 ? eventId(from) : null };
}
