import { describe, expect, it } from 'vitest';
import { createWriteLine } from '../../../functions/src/memory/writeLine.js';

const tick = () => new Promise((r) => setImmediate(r));

/** A member that remembers how it was settled. */
interface Member {
  name: string;
  done?: (value: string) => void;
}

describe('the per-AI write line', () => {
  it('commits one group at a time per AI; what arrives meanwhile goes, in order, into the next group', async () => {
    const groups: string[][] = [];
    let running = 0;
    let most = 0;
    const line = createWriteLine<Member>(async (_key, group) => {
      running++;
      most = Math.max(most, running);
      groups.push(group.map((m) => m.name));
      await tick();
      running--;
      for (const m of group) m.done?.(m.name);
      return [];
    }, 10);
    const settled = ['a', 'b', 'c', 'd'].map((name) => new Promise<string>((done) => line('ai-1', { name, done })));
    expect(await Promise.all(settled)).toEqual(['a', 'b', 'c', 'd']);
    expect(most).toBe(1);
    // The first arrives at an idle line and commits at once; the three that waited go together.
    expect(groups).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('hands the committer at most maxGroup members', async () => {
    const groups: number[] = [];
    const line = createWriteLine<Member>(async (_key, group) => {
      groups.push(group.length);
      await tick();
      for (const m of group) m.done?.(m.name);
      return [];
    }, 3);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => new Promise((done) => line('ai-1', { name: String(i), done }))),
    );
    expect(groups).toEqual([1, 3, 3, 1]);
  });

  it('lets groups of different AIs commit side by side', async () => {
    let running = 0;
    let most = 0;
    const line = createWriteLine<Member>(async (_key, group) => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
      for (const m of group) m.done?.(m.name);
      return [];
    }, 10);
    await Promise.all(['ai-1', 'ai-2', 'ai-3'].map((ai) => new Promise((done) => line(ai, { name: ai, done }))));
    expect(most).toBe(3);
  });

  it('puts the members a group leaves first into the next group, and keeps going after a committer throws', async () => {
    const groups: string[][] = [];
    let calls = 0;
    const line = createWriteLine<Member>(async (_key, group) => {
      calls++;
      groups.push(group.map((m) => m.name));
      await tick();
      if (calls === 2) {
        // Settles the first, leaves the rest for later.
        group[0]?.done?.(group[0].name);
        return group.slice(1);
      }
      for (const m of group) m.done?.(m.name);
      if (calls === 3) throw new Error('a bug in the committer');
      return [];
    }, 10);
    const names = ['a', 'b', 'c', 'd'];
    const settled = names.map((name) => new Promise<string>((done) => line('ai-1', { name, done })));
    await tick();
    const late = new Promise<string>((done) => line('ai-1', { name: 'e', done }));
    expect(await Promise.all([...settled, late])).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(groups[0]).toEqual(['a']);
    expect(groups[1]?.[0]).toBe('b');
    expect(groups[2]?.slice(0, 2)).toEqual(['c', 'd']);
    expect(groups.flat().filter((n) => n === 'e')).toHaveLength(1);
  });
});
