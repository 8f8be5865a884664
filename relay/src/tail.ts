/**
 * @module tail — follow an append-only, ordered collection from "now" on with a Firestore
 * listener whose window starts after the newest document at open time. A listener keeps every
 * document of its window in memory, so after `reanchorAfter` documents it is replaced by one that
 * starts after the last document seen: memory stays bounded however long the relay runs.
 */
import type { DocumentSnapshot, Query, QueryDocumentSnapshot } from 'firebase-admin/firestore';

export interface TailSpec {
  /** The collection in order, oldest first. */
  ordered: Query;
  /** The same order reversed (to find the newest document). */
  reversed: Query;
  /** The `startAfter` values of a document in that order. */
  cursorOf: (doc: DocumentSnapshot) => unknown[];
  /** Called with the newest document at open time, before the listener starts. */
  onOpen?: (newest: DocumentSnapshot | undefined) => void;
}

export interface Tail {
  stop(): void;
}

export async function tail(
  spec: TailSpec,
  onDocs: (docs: QueryDocumentSnapshot[]) => void,
  onError: (err: Error) => void,
  reanchorAfter = 1_000,
): Promise<Tail> {
  const start = (await spec.reversed.limit(1).get()).docs[0];
  spec.onOpen?.(start);
  let from: DocumentSnapshot | undefined = start;
  let stopped = false;
  let unsubscribe = () => {};

  const listen = () => {
    let seen = 0;
    const window = from ? spec.ordered.startAfter(...spec.cursorOf(from)) : spec.ordered;
    unsubscribe = window.onSnapshot(
      (snap) => {
        // docChanges() lists added documents in query order.
        const added = snap
          .docChanges()
          .filter((c) => c.type === 'added')
          .map((c) => c.doc);
        const last = added[added.length - 1];
        if (!last) return;
        from = last;
        onDocs(added);
        seen += added.length;
        if (seen >= reanchorAfter && !stopped) {
          unsubscribe();
          listen();
        }
      },
      (err) => onError(err),
    );
  };
  listen();
  return {
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
