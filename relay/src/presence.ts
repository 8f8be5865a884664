/**
 * @module presence — which AIs have a client connected to this relay process, published to
 * Firestore (`relay_presence/{process id}`) so that the API can tell the console, whichever relay
 * process the client is on. A process rewrites its document on every change (debounced) and
 * every 30 s; readers ignore documents older than 90 s, so a crashed process stops counting.
 */
import { randomUUID } from 'node:crypto';
import { FieldValue, Timestamp, type Firestore } from 'firebase-admin/firestore';
import { RELAY_PRESENCE } from '@memory-weaver/core';

const HEARTBEAT_MS = 30_000;
const DEBOUNCE_MS = 300;

export interface Presence {
  add(aiUuid: string): void;
  remove(aiUuid: string): void;
  close(): Promise<void>;
}

export function createPresence(db: Firestore, log: (m: string, e?: unknown) => void): Presence {
  const ref = db.collection(RELAY_PRESENCE).doc(randomUUID());
  const counts = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  const publish = () => {
    timer = undefined;
    ref
      .set({
        aiUuids: [...counts.keys()],
        updatedAt: FieldValue.serverTimestamp(),
        // A TTL policy on this field removes the documents of processes long gone.
        expiresAt: Timestamp.fromMillis(Date.now() + 24 * 60 * 60 * 1000),
      })
      .catch((err: unknown) => log('could not publish relay presence', err));
  };
  const schedule = () => {
    timer ??= setTimeout(publish, DEBOUNCE_MS);
  };
  const heartbeat = setInterval(publish, HEARTBEAT_MS);
  heartbeat.unref();
  publish();
  return {
    add(aiUuid) {
      counts.set(aiUuid, (counts.get(aiUuid) ?? 0) + 1);
      if (counts.get(aiUuid) === 1) schedule();
    },
    remove(aiUuid) {
      const n = (counts.get(aiUuid) ?? 0) - 1;
      if (n > 0) counts.set(aiUuid, n);
      else if (counts.delete(aiUuid)) schedule();
    },
    async close() {
      clearInterval(heartbeat);
      clearTimeout(timer);
      await ref.delete().catch(() => undefined);
    },
  };
}
