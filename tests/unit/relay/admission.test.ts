import { describe, expect, it } from 'vitest';
import { createAdmission } from '../../../relay/src/admission.js';

/** A task the test finishes by hand, counting how often it was started. */
const manualTask = <T>(value: T) => {
  let finish: () => void = () => undefined;
  let starts = 0;
  const task = () => {
    starts += 1;
    return new Promise<T>((resolve) => {
      finish = () => resolve(value);
    });
  };
  return { task, finish: () => finish(), starts: () => starts };
};

const gone = () => new Error('gone');
const always = () => true;
/** Lets pending promise callbacks run. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('the admission of credential checks', () => {
  it('runs at most its limit at once and starts the next one as one finishes, in arrival order', async () => {
    const admission = createAdmission(2, gone);
    const tasks = ['a', 'b', 'c', 'd'].map((key) => ({ key, ...manualTask(key) }));
    const results = tasks.map((t) => admission.run(t.key, t.task, always));
    await settled();
    expect(tasks.map((t) => t.starts())).toEqual([1, 1, 0, 0]);
    expect(admission.waiting()).toBe(2);
    tasks[1]?.finish();
    await settled();
    expect(tasks.map((t) => t.starts())).toEqual([1, 1, 1, 0]);
    tasks[0]?.finish();
    await settled();
    expect(tasks.map((t) => t.starts())).toEqual([1, 1, 1, 1]);
    tasks[2]?.finish();
    tasks[3]?.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('lets requests for one credential that wait together share one check, started after they all arrived', async () => {
    const admission = createAdmission(1, gone);
    const busy = manualTask('busy');
    const shared = manualTask('key k');
    const first = admission.run('other', busy.task, always);
    const waiting = [admission.run('k', shared.task, always), admission.run('k', shared.task, always)];
    expect(admission.waiting()).toBe(1);
    busy.finish();
    await first;
    await settled();
    shared.finish();
    expect(await Promise.all(waiting)).toEqual(['key k', 'key k']);
    expect(shared.starts()).toBe(1);
  });

  it('never answers a request from a check that had started before it arrived', async () => {
    const admission = createAdmission(1, gone);
    const check = manualTask('k');
    const early = admission.run('k', check.task, always);
    // Arrives while the first check of the same credential runs: it gets a check of its own.
    const late = admission.run('k', check.task, always);
    await settled();
    check.finish();
    await early;
    await settled();
    check.finish();
    await late;
    expect(check.starts()).toBe(2);
  });

  it('skips a turn whose clients all left while waiting, and passes its slot on', async () => {
    const admission = createAdmission(1, gone);
    const busy = manualTask('busy');
    const skipped = manualTask('skipped');
    const after = manualTask('after');
    void admission.run('busy', busy.task, always);
    const leftEarly = admission.run('k', skipped.task, () => false);
    const next = admission.run('j', after.task, always);
    busy.finish();
    await expect(leftEarly).rejects.toThrow('gone');
    await settled();
    after.finish();
    expect(await next).toBe('after');
    expect(skipped.starts()).toBe(0);
  });

  it('passes the slot on when a check fails', async () => {
    const admission = createAdmission(1, gone);
    const failing = admission.run('bad', () => Promise.reject(new Error('unknown API key')), always);
    const next = admission.run('good', () => Promise.resolve('ok'), always);
    await expect(failing).rejects.toThrow('unknown API key');
    expect(await next).toBe('ok');
    expect(admission.waiting()).toBe(0);
  });
});
