/**
 * @module sequencer — puts events numbered 1, 2, 3… back in order: an event that arrives early
 * waits for the ones before it, one already handed on is dropped, and a gap left open is reported
 * so that the caller can fill it. Pure: no clock, no Firestore.
 */

/** Anything with its place in the sequence. */
export interface Numbered {
  seq: number;
}

export interface Sequencer<T extends Numbered> {
  /** Takes arrivals in any order and returns those now next in line, in order. */
  arrive(events: Iterable<T>): T[];
  /** The number of the last event handed on (0 before the first). */
  last(): number;
  /** The first missing number while later events wait for it; undefined when nothing waits. */
  gap(): number | undefined;
  /**
   * Starts the count after `seq` (everything up to it is history, not live). Called before the
   * first arrival, so nothing is held yet.
   */
  startAfter(seq: number): void;
}

export function createSequencer<T extends Numbered>(): Sequencer<T> {
  let next = 1;
  const early = new Map<number, T>();
  return {
    arrive(events) {
      for (const e of events) if (e.seq >= next) early.set(e.seq, e);
      const ready: T[] = [];
      for (let e = early.get(next); e; e = early.get(next)) {
        early.delete(next);
        next += 1;
        ready.push(e);
      }
      return ready;
    },
    last: () => next - 1,
    gap: () => (early.size > 0 ? next : undefined),
    startAfter(seq) {
      next = seq + 1;
    },
  };
}
