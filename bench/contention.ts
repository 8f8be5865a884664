/**
 * @module bench/contention — many writers editing one AI at once. Every change takes the AI's
 * next event number, so writers of one AI contend by design; this prints throughput, latency
 * percentiles and how many were told to retry (503), at 1, 8 and 64 writers.
 *
 * "app" is createApp() in this process (a deployed instance takes up to 80 requests at once, so
 * this is production's shape within an instance). "emulated function" goes through the Functions
 * emulator, which runs each concurrent request in a worker process of its own (~270 MB each): 64
 * would not fit this machine, so it runs 1 and 8 there, the cross-process case.
 */
import { newAi } from '../tests/support/http.js';
import { createMemory } from '../tests/support/memories.js';
import { localAppDeps, startApp } from '../tests/support/app.js';
import { eventLog } from '../tests/support/events.js';
import { percentile } from './stats.js';

const EDITS_PER_WRITER = 8;

async function contend(baseUrl: string, writers: number): Promise<string> {
  const ai = await newAi(`bench-contention-${writers}`);
  const made = await createMemory(ai, 'working_memory', 'v0', { baseUrl });
  const times: number[] = [];
  const statuses = new Map<number, number>();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < EDITS_PER_WRITER; i++) {
        const t = performance.now();
        const res = await fetch(`${baseUrl}/edit_memory`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ai.api_key}` },
          body: JSON.stringify({
            ai_name: ai.ai_name,
            ai_uuid: ai.ai_uuid,
            memory_type: 'working_memory',
            memory_id: made.memory_id,
            memory_data: `writer ${w} edit ${i}`,
          }),
        });
        await res.arrayBuffer();
        times.push(performance.now() - t);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  times.sort((a, b) => a - b);
  const ok = statuses.get(200) ?? 0;
  const log = await eventLog(ai.ai_uuid);
  const gapless = log.every((e, i) => Number(e.seq) === i + 1) && log.length === ok + 1;
  const others = [...statuses].filter(([s]) => s !== 200).map(([s, n]) => `${n} × ${s}`);
  return (
    `  ${String(writers).padStart(2)} writers: ${(ok / seconds).toFixed(0)} edits/s, ` +
    `p50 ${percentile(times, 50).toFixed(1)} ms p95 ${percentile(times, 95).toFixed(1)} ms, ` +
    `${ok}/${times.length} × 200${others.length ? `, ${others.join(', ')}` : ''}, log ${gapless ? 'gapless' : 'BROKEN'}`
  );
}

export async function benchContention(): Promise<string> {
  const app = await startApp(localAppDeps());
  const emulated = process.env.API_BASE_URL ?? 'http://127.0.0.1:5000';
  try {
    const lines = [`## Contended writes: edits of one memory of one AI, ${EDITS_PER_WRITER} per writer`];
    await contend(app.url, 8); // warm-up
    lines.push('app (in process):');
    for (const writers of [1, 8, 64]) lines.push(await contend(app.url, writers));
    lines.push('emulated function (a worker process per concurrent request):');
    for (const writers of [1, 8]) lines.push(await contend(emulated, writers));
    return lines.join('\n');
  } finally {
    await app.close();
  }
}
