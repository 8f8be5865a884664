/**
 * @module rooms — one room per AI in this process: the Firestore tails that feed it and the
 * sockets in it. A room's tails run only while it has a socket, and each socket has its own
 * cursor in the event log, so a joining socket gets its replay (events after `since`) and then
 * the live events with no gap and no duplicate at the seam.
 */
import { FieldValue, Timestamp, type DocumentSnapshot, type Firestore } from 'firebase-admin/firestore';
import type { MemoryEvent, RelayedMessage, ServerToClientEvents } from '@memory-weaver/protocol';
import {
  aiRef,
  comparePositions,
  eventPosition,
  eventsAfter,
  eventsRef,
  positionOf,
  toMemoryEvent,
  type Position,
  type Principal,
} from '@memory-weaver/core';
import { tailCollection, type Tail } from './tail.js';

const REPLAY_PAGE = 500;
export const MESSAGES = 'relay_messages';
const MESSAGE_RETENTION_MS = 60 * 60 * 1000;

/** What a room needs of a socket: its id, its caller, a way to send and to be let go. */
export interface Member {
  id: string;
  principal: Principal;
  emit<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void;
  /** The room closed under this member (AI deleted, key revoked). */
  evict(reason: 'ai_deleted' | 'key_revoked'): void;
}

interface Seat {
  member: Member;
  /** True while the replay runs; live events wait in `buffer` meanwhile. */
  replaying: boolean;
  buffer: { event: MemoryEvent; position: Position }[];
  /** The last event this member was sent. */
  cursor: Position | null;
}

interface Room {
  seats: Map<string, Seat>;
  ready: Promise<void>;
  tails: Tail[];
  unwatchAi: () => void;
}

export interface Rooms {
  /** Seats the member and sends its replay; returns how many past events were replayed. */
  join(aiUuid: string, member: Member, since?: string): Promise<number>;
  leave(aiUuid: string, memberId: string): void;
  leaveAll(memberId: string): void;
  /** Stores a message for every relay process with members in the room (including this one). */
  publish(aiUuid: string, from: RelayedMessage['from'], payload: Record<string, unknown>): Promise<string>;
  has(aiUuid: string, memberId: string): boolean;
  close(): void;
}

export function createRooms(db: Firestore, log: (msg: string, err?: unknown) => void): Rooms {
  const rooms = new Map<string, Room>();

  const deliver = (seat: Seat, event: MemoryEvent, position: Position) => {
    if (seat.cursor && comparePositions(position, seat.cursor) <= 0) return;
    seat.cursor = position;
    seat.member.emit('memory_update', event);
  };

  const closeRoom = (aiUuid: string, reason: 'ai_deleted') => {
    const room = rooms.get(aiUuid);
    if (!room) return;
    for (const seat of room.seats.values()) seat.member.evict(reason);
    stopRoom(aiUuid);
  };

  const stopRoom = (aiUuid: string) => {
    const room = rooms.get(aiUuid);
    if (!room) return;
    rooms.delete(aiUuid);
    room.unwatchAi();
    void room.ready.then(() => room.tails.forEach((t) => t.stop()));
  };

  const openRoom = (aiUuid: string): Room => {
    const room: Room = { seats: new Map(), tails: [], ready: Promise.resolve(), unwatchAi: () => {} };
    const onEvents = (docs: DocumentSnapshot[]) => {
      for (const doc of docs) {
        const event = toMemoryEvent(aiUuid, doc);
        const position = positionOf(doc);
        for (const seat of room.seats.values()) {
          if (seat.replaying) seat.buffer.push({ event, position });
          else deliver(seat, event, position);
        }
      }
    };
    const onMessages = (docs: DocumentSnapshot[]) => {
      for (const doc of docs) {
        const m = doc.data() as { from: RelayedMessage['from']; payload: Record<string, unknown>; at: Timestamp };
        const message: RelayedMessage = { ai_uuid: aiUuid, from: m.from, at: m.at.toDate().toISOString(), payload: m.payload };
        for (const seat of room.seats.values()) {
          if (seat.member.id !== m.from.socket_id) seat.member.emit('message', message);
        }
      }
    };
    const onError = (err: Error) => {
      log(`tail of ${aiUuid} failed; closing the room so clients re-join`, err);
      for (const seat of room.seats.values()) seat.member.evict('ai_deleted');
      stopRoom(aiUuid);
    };
    room.ready = Promise.all([
      tailCollection(eventsRef(db, aiUuid), onEvents, onError),
      tailCollection(aiRef(db, aiUuid).collection(MESSAGES), onMessages, onError),
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
        for (const seat of room.seats.values()) {
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
      const existing = room.seats.get(member.id);
      if (existing) room.seats.delete(member.id);
      // Seated before anything is read, so every event from here on is either in the replay
      // read below or arrives live into the buffer; the cursor drops the overlap.
      const seat: Seat = { member, replaying: true, buffer: [], cursor: existing?.cursor ?? null };
      room.seats.set(member.id, seat);
      let replayed = 0;
      try {
        await room.ready;
        if (since !== undefined) {
          let after: Position | null = await eventPosition(db, aiUuid, since);
          if (!seat.cursor || comparePositions(after, seat.cursor) > 0) seat.cursor = after;
          for (;;) {
            const page = await eventsAfter(db, aiUuid, after, REPLAY_PAGE);
            for (const { event, position } of page) {
              const before: Position | null = seat.cursor;
              deliver(seat, event, position);
              if (seat.cursor !== before) replayed += 1;
            }
            if (page.length < REPLAY_PAGE) break;
            after = page[page.length - 1]?.position ?? after;
          }
        }
        for (const { event, position } of seat.buffer) deliver(seat, event, position);
        seat.buffer = [];
        seat.replaying = false;
        return replayed;
      } catch (err) {
        room.seats.delete(member.id);
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
    has: (aiUuid, memberId) => rooms.get(aiUuid)?.seats.has(memberId) ?? false,
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
