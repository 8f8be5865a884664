/**
 * @module rooms — one room per AI in this process: the feeds that follow its event log and its
 * messages, and the sockets seated in it. A room's feeds run only while it has a socket, and a
 * room closes under its members when the AI is deleted or a member's key is replaced.
 */
import type { Firestore } from 'firebase-admin/firestore';
import type { RelayedMessage } from '@memory-weaver/protocol';
import { aiRef, eventsAfter, knownEventSeq } from '@memory-weaver/core';
import { feedEvents, type EventFeed } from './eventFeed.js';
import { feedMessages, publish } from './messages.js';
import { replay, type EventLog, type ReplayLimits, type Replayed } from './replay.js';
import { handOn, type Member, type OnSent, type Seat } from './seats.js';
import type { Tail } from './tail.js';

export type { Member } from './seats.js';

interface Room {
  seats: Map<string, Seat>;
  events: EventFeed;
  /** Both tails are listening. */
  ready: Promise<void>;
  /** The tails as they open (the event log's and the messages'). */
  opening: Promise<Tail>[];
  unwatchAi: () => void;
}

/** What the rooms tell the relay's metrics. */
export interface RoomObserver {
  /** An event was sent to a member. */
  sent: OnSent;
  /** A join with `since` was brought up to date with this many past events. */
  replayed(count: number): void;
}

export interface RoomOptions {
  replay: ReplayLimits;
  observer: RoomObserver;
}

export interface Rooms {
  /**
   * Seats the member and sends its replay. Returns how many past events were replayed and the
   * id of the last event before the live ones (a client that saw nothing yet resumes from it).
   * `resync_required` when the member is further behind than the replay limit.
   */
  join(aiUuid: string, member: Member, since?: string): Promise<Replayed>;
  leave(aiUuid: string, memberId: string): void;
  leaveAll(memberId: string): void;
  /** Stores a message for every relay process with members in the room (including this one). */
  publish(aiUuid: string, from: RelayedMessage['from'], payload: Record<string, unknown>): Promise<string>;
  /** Open rooms and seats in them, for health checks and metrics. */
  stats(): { rooms: number; seats: number };
  close(): void;
}

export function createRooms(db: Firestore, log: (msg: string, err?: unknown) => void, options: RoomOptions): Rooms {
  const rooms = new Map<string, Room>();
  const { observer } = options;
  const eventLog = (aiUuid: string): EventLog => ({
    seqOf: (id) => knownEventSeq(db, aiUuid, id),
    after: (seq, limit) => eventsAfter(db, aiUuid, seq, limit),
  });

  const stopRoom = (aiUuid: string) => {
    const room = rooms.get(aiUuid);
    if (!room) return;
    rooms.delete(aiUuid);
    room.unwatchAi();
    room.events.stop();
    // Each tail is stopped on its own: when one failed to open, the other may still be listening.
    for (const opening of room.opening) {
      void opening.then(
        (t) => t.stop(),
        () => undefined,
      );
    }
  };

  const closeRoom = (aiUuid: string, reason: 'ai_deleted' | 'key_revoked') => {
    const room = rooms.get(aiUuid);
    if (!room) return;
    for (const seat of room.seats.values()) seat.member.evict(aiUuid, reason);
    stopRoom(aiUuid);
  };

  const openRoom = (aiUuid: string): Room => {
    const seats = new Map<string, Seat>();
    const onError = (err: Error) => {
      log(`a listener of ${aiUuid} failed; dropping its clients so that they re-join with since`, err);
      const dropped = [...seats.values()];
      stopRoom(aiUuid);
      for (const seat of dropped) seat.member.drop();
    };
    const events = feedEvents(db, aiUuid, (event) => handOn(seats.values(), event, observer.sent), onError, log);
    const messages = feedMessages(db, aiUuid, seats, onError);
    const opening = [events.tail, messages];
    const room: Room = {
      seats,
      events,
      opening,
      ready: Promise.all(opening).then(() => undefined),
      unwatchAi: () => {},
    };
    // The registry entry tells the room when the AI is deleted or its key changes.
    room.unwatchAi = aiRef(db, aiUuid).onSnapshot(
      (snap) => {
        const data = snap.data();
        if (!data || data.deletedAt) {
          closeRoom(aiUuid, 'ai_deleted');
          return;
        }
        for (const seat of [...seats.values()]) {
          const p = seat.member.principal;
          if (p.kind === 'ai_key' && p.keyId !== data.apiKeyId) {
            seats.delete(seat.member.id);
            seat.member.evict(aiUuid, 'key_revoked');
          }
        }
      },
      (err) => onError(err),
    );
    rooms.set(aiUuid, room);
    return room;
  };

  return {
    async join(aiUuid, member, since) {
      const room = rooms.get(aiUuid) ?? openRoom(aiUuid);
      const previous = room.seats.get(member.id);
      // Seated before anything is read, so every event from here on is either in the replay
      // read below or arrives live into the buffer; the cursor drops the overlap.
      const seat: Seat = { member, replaying: true, buffer: [], cursor: previous?.cursor ?? 0 };
      // "From now on": the last event handed on at this moment, or, in a room still opening, the
      // newest event when it opened (events after that are arriving into this seat's buffer).
      const seatedAt = room.events.openSeq() === undefined ? undefined : room.events.last();
      room.seats.set(member.id, seat);
      try {
        await room.ready;
        const liveFrom = seatedAt ?? room.events.openSeq() ?? 0;
        const replayed = await replay(seat, eventLog(aiUuid), { since, liveFrom }, options.replay, observer.sent);
        if (since !== undefined) observer.replayed(replayed.replayed);
        return replayed;
      } catch (err) {
        if (room.seats.get(member.id) === seat) room.seats.delete(member.id);
        if (room.seats.size === 0) stopRoom(aiUuid);
        throw err;
      }
    },
    leave(aiUuid, memberId) {
      const room = rooms.get(aiUuid);
      if (!room) return;
      room.seats.delete(memberId);
      if (room.seats.size === 0) stopRoom(aiUuid);
    },
    leaveAll(memberId) {
      for (const [aiUuid, room] of [...rooms]) {
        if (room.seats.delete(memberId) && room.seats.size === 0) stopRoom(aiUuid);
      }
    },
    publish: (aiUuid, from, payload) => publish(db, aiUuid, from, payload),
    stats: () => ({ rooms: rooms.size, seats: [...rooms.values()].reduce((n, r) => n + r.seats.size, 0) }),
    close() {
      for (const aiUuid of [...rooms.keys()]) stopRoom(aiUuid);
    },
  };
}
