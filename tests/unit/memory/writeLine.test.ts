import { describe, expect, it } from 'vitest';
import { createWriteLine } from '../../../functions/src/memory/writeLine.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('the per-AI write line', () => {
  it('runs the changes of one AI one at a time, in arrival order', async () => {
    const line = createWriteLine();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const task = (name: string) => async () => {
      running++;
      most = Math.max(most, running);
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all(['a', 'b', 'c'].map((n) => line('ai-1', task(n))));
    expect(results).toEqual(['a', 'b', 'c']);
    expect(most).toBe(1);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('lets changes of different AIs run side by side', async () => {
    const line = createWriteLine();
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
    };
    await Promise.all([line('ai-1', task), line('ai-2', task), line('ai-3', task)]);
    expect(most).toBe(3);
  });

  it('keeps going after a change fails, and hands the failure to its own caller only', async () => {
    const line = createWriteLine();
    const failed = line('ai-1', () => Promise.reject(new Error('boom')));
    const next = line('ai-1', () => Promise.resolve('after'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('after');
  });
});
