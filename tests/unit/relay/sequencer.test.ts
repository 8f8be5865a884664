import { describe, expect, it } from 'vitest';
import { createSequencer } from '../../../relay/src/sequencer.js';

interface Ev {
  seq: number;
  tag?: string;
}
const ev = (seq: number, tag?: string): Ev => (tag === undefined ? { seq } : { seq, tag });
const seqs = (events: Ev[]) => events.map((e) => e.seq);

describe('the in-order sequencer', () => {
  it('hands on events that arrive in order, all at once', () => {
    const s = createSequencer<Ev>();
    expect(seqs(s.arrive([ev(1), ev(2), ev(3)]))).toEqual([1, 2, 3]);
    expect(s.last()).toBe(3);
    expect(s.gap()).toBeUndefined();
  });

  it('holds an early event until the ones before it arrive, then hands them all on in order', () => {
    const s = createSequencer<Ev>();
    expect(s.arrive([ev(3)])).toEqual([]);
    expect(s.arrive([ev(2)])).toEqual([]);
    expect(seqs(s.arrive([ev(1)]))).toEqual([1, 2, 3]);
    expect(s.last()).toBe(3);
  });

  it.each([[[1, 2, 3, 4]], [[4, 3, 2, 1]], [[2, 1, 4, 3]], [[3, 1, 4, 2]]])(
    'puts the arrivals %j back into the order 1, 2, 3, 4',
    (order) => {
      const s = createSequencer<Ev>();
      const out = order.flatMap((n) => s.arrive([ev(n)]));
      expect(seqs(out)).toEqual([1, 2, 3, 4]);
    },
  );

  it('drops an event that was already handed on', () => {
    const s = createSequencer<Ev>();
    s.arrive([ev(1), ev(2)]);
    expect(s.arrive([ev(1), ev(2)])).toEqual([]);
    expect(seqs(s.arrive([ev(2), ev(3)]))).toEqual([3]);
  });

  it('hands on an event held twice only once', () => {
    const s = createSequencer<Ev>();
    s.arrive([ev(2)]);
    s.arrive([ev(2)]);
    expect(seqs(s.arrive([ev(1)]))).toEqual([1, 2]);
  });

  it('keeps the later copy of an event held twice', () => {
    const s = createSequencer<Ev>();
    s.arrive([ev(2, 'first')]);
    s.arrive([ev(2, 'second')]);
    expect(s.arrive([ev(1)])[1]?.tag).toBe('second');
  });

  it('reports the first missing number while later events wait for it', () => {
    const s = createSequencer<Ev>();
    s.arrive([ev(1), ev(4), ev(5)]);
    expect(s.gap()).toBe(2);
    s.arrive([ev(2)]);
    expect(s.gap()).toBe(3);
    expect(s.last()).toBe(2);
  });

  it('reports no gap once the missing events have arrived', () => {
    const s = createSequencer<Ev>();
    s.arrive([ev(3)]);
    s.arrive([ev(1), ev(2)]);
    expect(s.gap()).toBeUndefined();
  });

  it('reports no gap before anything has arrived', () => {
    const s = createSequencer<Ev>();
    expect(s.gap()).toBeUndefined();
    expect(s.last()).toBe(0);
  });

  it('treats everything up to the start as history and hands on only what follows', () => {
    const s = createSequencer<Ev>();
    s.startAfter(10);
    expect(s.last()).toBe(10);
    expect(s.arrive([ev(9), ev(10)])).toEqual([]);
    expect(seqs(s.arrive([ev(11)]))).toEqual([11]);
  });

  it('sees a gap right after the start when the first live event is missing', () => {
    const s = createSequencer<Ev>();
    s.startAfter(10);
    s.arrive([ev(12)]);
    expect(s.gap()).toBe(11);
  });
});
