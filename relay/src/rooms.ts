/**
 * @module rooms — one room per AI in this process: the Firestore tails that feed it and the
 * sockets in it. A room's tails run only while it has a socket.
 *
 * Events are numbered 1, 2, 3… per AI with no gaps, and the room hands them on strictly in that
 * order: one that arrives early waits for the ones before it, and a gap that doesn't close by
 * itself within GAP_WAIT_MS is filled by reading the log. Each socket has its own cursor (the
 * last number it was sent), so a joining socket gets its replay (events after `since`) and then
 * the live events with no gap and no duplicate at the seam.
 */
import { FieldPath, FieldValue, Timestamp, type DocumentSnapshot, type Firestore } from 'firebase-admin/firestore';
import type { MemoryEvent, RelayedMessage, ServerToClientEvents } from '@memory-weaver/protocol';
import {
  aiRef,
  eventId,
  eventsAfter,
  eventsRef,
  knownEventSeq,
  orderedEvents,
  toMemoryEvent,
  type Principal,
} from '@memory-weaver/core';
import { tail, type Tail } from './tail.js';

const REPLAY_PAGE = 500;
const GAP_WAIT_MS = 250;
export const MESSAGES = 'relay_messages';
const MESSAGE_RETENTION_MS = 60 * 60 * 1000;

/** What a room needs of a socket: its id, its caller, a way to send and to be let go. */
export interface Member {
  id: string;
  principal: Principal;
  emit<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
  /** The room closed under this member (AI deleted, key revoked). */
  evict(reason: 'ai_deleted' | 'key_revoked'): void;
  /** Disconnects the member, which re-joins with `since` and misses nothing (a relay-side failure). */
  drop(): void;
}

interface Seat {
  member: Member;
  /** True while the replay runs; live events wait in `buffer` meanwhile. */
  replaying: boolean;
  buffer: MemoryEvent[];
  /** The number of the last event this member was sent. */
  cursor: number;
}

interface Room {
  seats: Map<string, Seat>;
  ready: Promise<void>;
  /** The newest event number when the room opened (known once its event tail has opened). */
  openSeq: number | undefined;
  /** The number of the next event to hand on. */
  nextSeq: number;
  /** Events that arrived before the ones preceding them. */
  early: Map<number, MemoryEvent>;
  gapTimer: NodeJS.Timeout | undefined;
  tails: Tail[];
  unwatchAi: () => void;
}

export interface Rooms {
  /**
   * Seats the member and sends its replay. Returns how many past events were replayed and the
   * id of the last event before the live ones (a client that saw nothing yet resumes from it).
   */
  join(aiUuid: string, member: Member, since?: string): Promise<{ replayed: number; lastEventId: string | null }>;
  leave(aiUuid: string, memberId: string): void;
  leaveAll(memberId: string): void;
  /** Stores a message for every relay process with members in the room (including this one). */
  publish(aiUuid: string, from: RelayedMessage['from'], payload: Record<string, unknown>): Promise<string>;
  close(): void;
}

const deliver = (seat: Seat, event: MemoryEvent) => {
  if (event.seq <= seat.cursor) return;
  seat.cursor = event.seq;
  seat.member.emit('memory_update', event);
};

export function createRooms(db: Firestore, log: (msg: string, err?: unknown) => void): Rooms {
  const rooms = new Map<string, Room>();

  const stopRoom = (aiUuid: string) => {
    const room = rooms.get(aiUuid);
    if (!room) return;
    rooms.delete(aiUuid);
    room.unwatchAi();
    clearTimeout(room.gapTimer);
    void room.ready.then(
      () => room.tails.forEach((t) => t.stop()),
      () => undefined,
    );
  };

  const closeRoom = (aiUuid: string, reason: 'ai_deleted' | 'key_revoked') => {
    const room = rooms.get(aiUuid);
    if (!room) return;
    for (const seat of room.seats.values()) seat.member.evict(reason);
    stopRoom(aiUuid);
  };

  const handOn = (room: Room, event: MemoryEvent) => {
    for (const seat of room.seats.values()) {
      if (seat.replaying) seat.buffer.push(event);
      else deliver(seat, event);
    }
  };

  /** Adds arrivals, hands on every event that is next in line, and watches any gap left. */
  const arrive = (aiUuid: string, room: Room, events: MemoryEvent[]) => {
    for (const e of events) if (e.seq >= room.nextSeq) room.early.set(e.seq, e);
    for (let e = room.early.get(room.nextSeq); e; e = room.early.get(room.nextSeq)) {
      room.early.delete(room.nextSeq);
      room.nextSeq += 1;
      handOn(room, e);
    }
    if (room.early.size > 0 && !room.gapTimer) {
      room.gapTimer = setTimeout(() => {
        room.gapTimer = undefined;
        if (rooms.get(aiUuid) !== room || room.early.size === 0) return;
        eventsAfter(db, aiUuid, room.nextSeq - 1, REPLAY_PAGE).then(
          (filled) => arrive(aiUuid, room, filled),
          (err) => log(`could not fill a gap in the log of ${aiUuid}`, err),
        );
      }, GAP_WAIT_MS);
    }
  };

  const openRoom = (aiUuid: string): Room => {
    const room: Room = {
      seats: new Map(),
      ready: Promise.resolve(),
      openSeq: undefined,
      nextSeq: 1,
      early: new Map(),
      gapTimer: undefined,
      tails: [],
      unwatchAi: () => {},
    };
    const onError = (err: Error) => {
      log(`a listener of ${aiUuid} failed; dropping its clients so that they re-join with since`, err);
      const seats = [...room.seats.values()];
      stopRoom(aiUuid);
      for (const seat of seats) seat.member.drop();
    };
    const onMessages = (docs: DocumentSnapshot[]) => {
      for (const doc of docs) {
        const m = doc.data() as { from: RelayedMessage['from']; payload: Record<string, unknown>; at: Timestamp };
        const message: RelayedMessage = {
          ai_uuid: aiUuid,
          from: m.from,
          at: m.at.toDate().toISOString(),
          payload: m.payload,
        };
        for (const seat of room.seats.values()) {
          if (seat.member.id !== m.from.socket_id) seat.member.emit('message', message);
        }
      }
    };
    const messages = aiRef(db, aiUuid).collection(MESSAGES);
    room.ready = Promise.all([
      tail(
        {
          ordered: orderedEvents(db, aiUuid),
          // Firestore can't scan document ids backwards; `seq` mirrors the id.
          reversed: eventsRef(db, aiUuid).orderBy('seq', 'desc'),
          cursorOf: (d) => [d.id],
          // Only events after the newest at open time are live; anything earlier is a replay.
          onOpen: (newest) => {
            room.openSeq = newest ? Number(newest.get('seq')) : 0;
            room.nextSeq = room.openSeq + 1;
          },
        },
        (docs) =>
          arrive(
            aiUuid,
            room,
            docs.map((d) => toMemoryEvent(aiUuid, d)),
          ),
        onError,
      ),
      tail(
        {
          ordered: messages.orderBy('at').orderBy(FieldPath.documentId()),
          reversed: messages.orderBy('at', 'desc').orderBy(FieldPath.documentId(), 'desc'),
          cursorOf: (d) => [d.get('at'), d.id],
        },
        onMessages,
        onError,
      ),
    ]).then((tails) => {
      room.tails = tails;
    });
    // The registry entry tells the room when the AI is deleted or its key changes.
    room.unwatchAi = aiRef(db, aiUuid).onSnapshot(
      (snap) => {
        const data = snap.data();
        if (!data || data.deletedAt) {
          closeRoom(aiUuid, 'ai_deleted');
          return;
        }
        for (const seat of [...room.seats.values()]) {
          const p = seat.member.principal;
          if (p.kind === 'ai_key' && p.keyId !== data.apiKeyId) {
            room.seats.delete(seat.member.id);
            seat.member.evict('key_revoked');
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
      const seatedAt = room.openSeq === undefined ? undefined : room.nextSeq - 1;
      room.seats.set(member.id, seat);
      let replayed = 0;
      try {
        await room.ready;
        if (since === undefined) {
          seat.cursor = Math.max(seat.cursor, seatedAt ?? room.openSeq ?? 0);
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
    async publish(aiUuid, from, payload) {
      const ref = aiRef(db, aiUuid).collection(MESSAGES).doc();
      await ref.set({
        from,
        payload,
        at: FieldValue.serverTimestamp(),
        // A TTL policy on this field (firestore.indexes.json) removes relayed messages after an hour.
        expiresAt: Timestamp.fromMillis(Date.now() + MESSAGE_RETENTION_MS),
      });
      return ref.id;
    },
    close() {
      for (const aiUuid of [...rooms.keys()]) stopRoom(aiUuid);
    },
  };
}
