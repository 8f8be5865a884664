/** @module bench/stats — latency percentiles and throughput of a measured operation. */
export interface Figures {
  label: string;
  n: number;
  p50: number;
  p95: number;
  /** Requests per second with `concurrency` in flight. */
  rps: number;
}

export const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Runs `op` n times one after another (latency), then n times with `concurrency` in flight (throughput). */
export async function measure(
  label: string,
  n: number,
  op: (i: number) => Promise<unknown>,
  concurrency = 8,
  warmup = 20,
): Promise<Figures> {
  for (let i = 0; i < warmup; i++) await op(-1 - i);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await op(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await op(n + next++);
    }),
  );
  const rps = (n / (performance.now() - start)) * 1000;
  return { label, n, p50: percentile(times, 50), p95: percentile(times, 95), rps };
}

export function table(rows: Figures[], baseline?: Figures): string {
  const head = ['operation', 'n', 'p50 ms', 'p95 ms', 'req/s', baseline ? `p50 / ${baseline.label}` : ''];
  const lines = rows.map((r) => [
    r.label,
    String(r.n),
    r.p50.toFixed(2),
    r.p95.toFixed(2),
    r.rps.toFixed(0),
    baseline ? `${(r.p50 / baseline.p50).toFixed(2)}x` : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  return [head, ...lines].map((l) => l.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}
