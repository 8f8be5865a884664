/**
 * @module eventFeed — one AI's event log from "now" on, handed on strictly in order. A tail
 * follows the log; the sequencer holds events that arrive early; a gap that doesn't close by
 * itself within GAP_WAIT_MS is filled by reading the log.
 */
import type { Firestore } from 'firebase-admin/firestore';
import type { MemoryEvent } from '@memory-weaver/protocol';
import { cipherForDocs, eventsAfter, eventsRef, orderedEvents, toMemoryEvent } from '@memory-weaver/core';
import { createSequencer } from './sequencer.js';
import { tail, type Tail } from './tail.js';

const GAP_WAIT_MS = 250;
/** Events read at a time to fill a gap. */
const GAP_PAGE = 500;

export interface EventFeed {
  /** The tail of the log, once it listens. Its owner stops it. */
  tail: Promise<Tail>;
  /** The newest event number when the tail opened (undefined until then). */
  openSeq(): number | undefined;
  /** The number of the last event handed on. */
  last(): number;
  /** Stops filling gaps. */
  stop(): void;
}

export function feedEvents(
  db: Firestore,
  aiUuid: string,
  handOn: (event: MemoryEvent) => void,
  onError: (err: Error) => void,
  log: (msg: string, err?: unknown) => void,
): EventFeed {
  const sequencer = createSequencer<MemoryEvent>();
  let openSeq: number | undefined;
  let gapTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  /** Hands on every event that is next in line, and watches any gap left. */
  const arrive = (events: MemoryEvent[]) => {
    for (const event of sequencer.arrive(events)) handOn(event);
    if (sequencer.gap() !== undefined && !gapTimer) {
      gapTimer = setTimeout(() => {
        gapTimer = undefined;
        if (stopped || sequencer.gap() === undefined) return;
        eventsAfter(db, aiUuid, sequencer.last(), GAP_PAGE).then(arrive, (err: unknown) => {
          log(`could not fill a gap in the log of ${aiUuid}`, err);
        });
      }, GAP_WAIT_MS);
    }
  };

  return {
    tail: tail(
      {
        ordered: orderedEvents(db, aiUuid),
        // Firestore can't scan document ids backwards; `seq` mirrors the id.
        reversed: eventsRef(db, aiUuid).orderBy('seq', 'desc'),
        cursorOf: (d) => [d.id],
        // Only events after the newest at open time are live; anything earlier is a replay.
        onOpen: (newest) => {
          openSeq = newest ? Number(newest.get('seq')) : 0;
          sequencer.startAfter(openSeq);
        },
      },
      (docs) => {
        // Events' memories are sealed at rest: opened with the AI's cipher (cached, so usually no
        // wait). Batches may then be handed on out of order; the sequencer puts them back in order.
        cipherForDocs(db, aiUuid, docs).then(
          (cipher) => arrive(docs.map((d) => toMemoryEvent(aiUuid, d, cipher))),
          (err: unknown) => log(`could not open the events of ${aiUuid}`, err),
        );
      },
      onError,
    ),
    openSeq: () => openSeq,
    last: () => sequencer.last(),
    stop() {
      stopped = true;
      clearTimeout(gapTimer);
    },
  };
}
