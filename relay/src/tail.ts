/**
 * @module tail — follow an append-only, (at, id)-ordered collection from "now" on with a
 * Firestore listener. The listener's window starts after the newest document at open time, so
 * nothing committed after that point is missed. A listener keeps every document of its window
 * in memory, so after `reanchorAfter` documents it is replaced by one that starts after the last
 * document seen: memory stays bounded however long the relay runs.
 */
import { FieldPath, type CollectionReference, type QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { comparePositions, positionOf, type Position } from '@memory-weaver/core';

export interface Tail {
  /** The newest document when the tail opened (null: the collection was empty). */
  start: Position | null;
  stop(): void;
}

export async function tailCollection(
  collection: CollectionReference,
  onDocs: (docs: QueryDocumentSnapshot[]) => void,
  onError: (err: Error) => void,
  reanchorAfter = 1_000,
): Promise<Tail> {
  const ordered = collection.orderBy('at', 'asc').orderBy(FieldPath.documentId(), 'asc');
  const newest = (await collection.orderBy('at', 'desc').orderBy(FieldPath.documentId(), 'desc').limit(1).get())
    .docs[0];
  const start = newest ? positionOf(newest) : null;
  let from = start;
  let stopped = false;
  let unsubscribe = () => {};

  const listen = () => {
    let seen = 0;
    const window = from ? ordered.startAfter(from.at, from.id) : ordered;
    unsubscribe = window.onSnapshot(
      (snap) => {
        const added = snap
          .docChanges()
          .filter((c) => c.type === 'added')
          .map((c) => c.doc)
          .sort((a, b) => comparePositions(positionOf(a), positionOf(b)));
        if (added.length === 0) return;
        from = positionOf(added[added.length - 1] as QueryDocumentSnapshot);
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
    start,
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
