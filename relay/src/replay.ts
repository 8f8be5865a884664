/**
 * @module replay — brings a newly seated member up to date: the events after `since` read from the
 * log page by page, then the live events that arrived meanwhile. The seat's cursor drops the
 * overlap, so the member sees no gap and no duplicate at the seam.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { eventId, eventsAfter, knownEventSeq } from '@memory-weaver/core';
import { deliver, type Seat } from './seats.js';

export const REPLAY_PAGE = 500;

export interface Replayed {
  /** How many past events were replayed. */
  replayed: number;
  /** The id of the last event before the live ones (null: the log was empty). */
  lastEventId: string | null;
}

/**
 * `liveFrom`: the last event that counts as "now" for a member that asks for no replay (it is sent
 * only what comes after).
 */
export async function replay(
  db: Firestore,
  aiUuid: string,
  seat: Seat,
  since: string | undefined,
  liveFrom: number,
): Promise<Replayed> {
  let replayed = 0;
  if (since === undefined) {
    seat.cursor = Math.max(seat.cursor, liveFrom);
  } else {
    seat.cursor = Math.max(seat.cursor, await knownEventSeq(db, aiUuid, since));
    for (;;) {
      const page = await eventsAfter(db, aiUuid, seat.cursor, REPLAY_PAGE);
      for (const event of page) deliver(seat, event);
      replayed += page.length;
      if (page.length < REPLAY_PAGE) break;
    }
  }
  const from = seat.cursor;
  for (const event of seat.buffer) deliver(seat, event);
  seat.buffer = [];
  seat.replaying = false;
  return { replayed, lastEventId: from > 0 ? eventId(from) : null };
}
