import { describe, expect, it } from 'vitest';
import { TopK } from '../../../functions/src/search/topK.js';
import { seeded } from '../../support/random.js';

describe('TopK', () => {
  it('keeps the k best of many, best first, as a full sort would', () => {
    const random = seeded(7);
    const xs = Array.from({ length: 5_000 }, () => Math.floor(random() * 1_000));
    const top = new TopK<number>(200, (a, b) => a - b);
    for (const x of xs) top.offer(x);
    expect(top.sorted()).toEqual([...xs].sort((a, b) => b - a).slice(0, 200));
  });

  it('keeps all when there are fewer than k, and nothing when k is 0', () => {
    const top = new TopK<number>(10, (a, b) => a - b);
    [3, 1, 2].forEach((x) => top.offer(x));
    expect(top.sorted()).toEqual([3, 2, 1]);
    const none = new TopK<number>(0, (a, b) => a - b);
    none.offer(1);
    expect(none.sorted()).toEqual([]);
  });
});
