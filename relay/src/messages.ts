/**
 * @module messages — `message` between clients of one AI, across relay processes: a client's
 * message is stored in the AI's `relay_messages` collection, and every process with members in the
 * room follows that collection and sends each message to its members other than the sender.
 */
import { FieldPath, FieldValue, Timestamp, type DocumentSnapshot, type Firestore } from 'firebase-admin/firestore';
import type { RelayedMessage } from '@memory-weaver/protocol';
import { aiRef } from '@memory-weaver/core';
import type { Seat } from './seats.js';
import { tail, type Tail } from './tail.js';

export const MESSAGES = 'relay_messages';
const MESSAGE_RETENTION_MS = 60 * 60 * 1000;

/** Stores a message for every relay process with members in the room (including this one). */
export async function publish(
  db: Firestore,
  aiUuid: string,
  from: RelayedMessage['from'],
  payload: Record<string, unknown>,
): Promise<string> {
  const ref = aiRef(db, aiUuid).collection(MESSAGES).doc();
  await ref.set({
    from,
    payload,
    at: FieldValue.serverTimestamp(),
    // A TTL policy on this field (firestore.indexes.json) removes relayed messages after an hour.
    expiresAt: Timestamp.fromMillis(Date.now() + MESSAGE_RETENTION_MS),
  });
  return ref.id;
}

/** Follows the room's messages from now on and sends each to the seats other than its sender's. */
export function feedMessages(
  db: Firestore,
  aiUuid: string,
  seats: ReadonlyMap<string, Seat>,
  onError: (err: Error) => void,
): Promise<Tail> {
  const messages = aiRef(db, aiUuid).collection(MESSAGES);
  const onMessages = (docs: DocumentSnapshot[]) => {
    for (const doc of docs) {
      const m = doc.data() as { from: RelayedMessage['from']; payload: Record<string, unknown>; at: Timestamp };
      const message: RelayedMessage = {
        ai_uuid: aiUuid,
        from: m.from,
        at: m.at.toDate().toISOString(),
        payload: m.payload,
      };
      for (const seat of seats.values()) {
        if (seat.member.id !== m.from.socket_id) seat.member.emit('message', message);
      }
    }
  };
  return tail(
    {
      ordered: messages.orderBy('at').orderBy(FieldPath.documentId()),
      reversed: messages.orderBy('at', 'desc').orderBy(FieldPath.documentId(), 'desc'),
      cursorOf: (d) => [d.get('at') as unknown, d.id],
    },
    onMessages,
    onError,
  );
}
