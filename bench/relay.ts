/**
 * @module bench/relay — how fast a memory change reaches subscribed clients, against the bare
 * Firestore write → listener time on the same emulator (the floor), whether any event is lost,
 * and how many idle authenticated sockets one relay process holds and at what memory cost.
 * The relays run as deployed: `node` with the V8 flags of relay/package.json's `start`.
 *
 * Only the capacity part (it needs the emulators):
 *   BENCH_SOCKETS=10000 flock /tmp/mw-emulators.lock npm run emulators -- npx tsx -e \
 *     "import('./bench/relay.ts').then(async (m) => { console.log(await m.benchRelayCapacity()); process.exit(0); })"
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { MemoryUpdate } from '@memory-weaver/protocol';
import { db } from '../tests/support/emulators.js';
import { eventLog } from '../tests/support/events.js';
import { newAi } from '../tests/support/http.js';
import { createMemory } from '../tests/support/memories.js';
import { connect, connected, request, startRelay, until, type ClientSocket } from '../tests/support/relay.js';
import { quietWindow } from '../tests/support/wait.js';
import { percentile } from './stats.js';

const rssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024;
};
const fmt = (values: number[]) => {
  const xs = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(xs, 50).toFixed(1)} ms  p95 ${percentile(xs, 95).toFixed(1)} ms`;
};

async function bareListenerLatency(n: number): Promise<string> {
  const col = db.collection(`bench_listen_${randomUUID()}`);
  const pending = new Map<string, { done?: number; resolve: () => void; seen?: number }>();
  const stop = col.onSnapshot((snap) => {
    const now = performance.now();
    for (const c of snap.docChanges()) {
      const p = pending.get(c.doc.id);
      if (c.type === 'added' && p) {
        p.seen = now;
        p.resolve();
      }
    }
  });
  const fromResponse: number[] = [];
  const fromRequest: number[] = [];
  for (let i = 0; i < n + 20; i++) {
    const ref = col.doc();
    let resolve = () => {};
    const arrived = new Promise<void>((r) => (resolve = r));
    const entry: { done?: number; resolve: () => void; seen?: number } = { resolve };
    pending.set(ref.id, entry);
    const sent = performance.now();
    await ref.set({ i, at: new Date() });
    entry.done = performance.now();
    await arrived;
    if (i >= 20) {
      fromResponse.push((entry.seen as number) - entry.done);
      fromRequest.push((entry.seen as number) - sent);
    }
  }
  stop();
  return `  bare firebase-admin set → onSnapshot (the floor): from the write's response ${fmt(fromResponse)}; from its start ${fmt(fromRequest)}`;
}

async function subscribers(url: string, apiKey: string, aiUuid: string, n: number) {
  const sockets: ClientSocket[] = [];
  const arrivals = new Map<string, number[]>();
  const received: string[][] = [];
  for (let i = 0; i < n; i += 100) {
    const batch = Array.from({ length: Math.min(100, n - i) }, () => connect(url, { api_key: apiKey }));
    await Promise.all(batch.map(connected));
    await Promise.all(batch.map((s) => request(s, 'join', { ai_uuid: aiUuid })));
    for (const s of batch) {
      const mine: string[] = [];
      received.push(mine);
      s.on('memory_update', (u: MemoryUpdate) => {
        mine.push(u.event_id);
        const list = arrivals.get(u.event_id) ?? [];
        list.push(performance.now());
        arrivals.set(u.event_id, list);
      });
      sockets.push(s);
    }
  }
  return { sockets, arrivals, received };
}

async function pushLatency(url: string, clients: number, writes: number): Promise<string> {
  const ai = await newAi(`bench-relay-${clients}`);
  const { sockets, arrivals } = await subscribers(url, ai.api_key, ai.ai_uuid, clients);
  const latencies: number[] = [];
  const fromRequest: number[] = [];
  for (let i = 0; i < writes + 10; i++) {
    const sent = performance.now();
    const { event_id: eventId } = await createMemory(ai, 'working_memory', `m${i}`);
    const responded = performance.now();
    await until(() => (arrivals.get(eventId)?.length ?? 0) >= clients, `event ${i} at ${clients} clients`, 15_000);
    if (i >= 10) {
      for (const t of arrivals.get(eventId) ?? []) {
        latencies.push(t - responded);
        fromRequest.push(t - sent);
      }
    }
  }
  sockets.forEach((s) => s.close());
  return `  ${String(clients).padStart(5)} clients, ${writes} writes → memory_update at every client: from the HTTP response ${fmt(latencies)}; from the request ${fmt(fromRequest)}`;
}

async function lossCheck(url: string, clients: number, writes: number): Promise<string> {
  const ai = await newAi('bench-loss');
  const { sockets, received } = await subscribers(url, ai.api_key, ai.ai_uuid, clients);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < writes) {
        const i = next++;
        await createMemory(ai, 'archive', `loss ${i}`);
      }
    }),
  );
  // A client still short at the deadline is counted below as lost events, not thrown.
  await until(() => received.every((r) => r.length >= writes), 'every client to get every write', 60_000).catch(
    () => {},
  );
  // An event sent twice spoils a client's exact match below; a second copy would be here by the end of this window.
  await quietWindow(500);
  const log = (await eventLog(ai.ai_uuid)).map((e) => e.id).join();
  const exact = received.filter((r) => r.join() === log).length;
  const lost = received.reduce((sum, r) => sum + Math.max(0, writes - new Set(r).size), 0);
  sockets.forEach((s) => s.close());
  return `  ${writes} writes (8 in flight) to ${clients} clients: ${lost} lost; ${exact}/${clients} clients got exactly the event log, in order`;
}

async function capacity(url: string, pid: number, n: number): Promise<string> {
  const ai = await newAi('bench-idle');
  const before = rssMb(pid);
  const sockets: ClientSocket[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i += 250) {
    const batch = Array.from({ length: Math.min(250, n - i) }, () => connect(url, { api_key: ai.api_key }));
    await Promise.all(batch.map(connected));
    sockets.push(...batch);
  }
  const seconds = (performance.now() - started) / 1000;
  // No signal says the relay's heap has settled after the last connect; RSS is read after a pause.
  await new Promise((r) => setTimeout(r, 2_000));
  const after = rssMb(pid);
  const health = (await (await fetch(`${url}/healthz`)).json()) as {
    sockets: number;
    heap_used_mb: number;
    heap_total_mb: number;
  };
  const alive = sockets.filter((s) => s.connected).length;
  sockets.forEach((s) => s.close());
  return (
    `  ${alive}/${n} idle authenticated sockets (250 connecting at a time, all with one AI key, so waiting checks of it are shared) held (relay counts ${health.sockets}), connected in ${seconds.toFixed(1)} s; ` +
    `relay RSS ${before.toFixed(0)} MB → ${after.toFixed(0)} MB (${(((after - before) * 1024) / n).toFixed(1)} KB per socket), ` +
    `JS heap ${health.heap_used_mb} MB in use of ${health.heap_total_mb} MB`
  );
}

/** The V8 flags of the relay's start command (relay/package.json `start`; the Dockerfile repeats them). */
function deployedNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync('relay/package.json', 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).filter((arg) => arg.startsWith('--'));
}

/** Starts relay/dist as deployed, with its start command's V8 flags. */
const startDeployedRelay = (env: Record<string, string>) => startRelay(env, undefined, deployedNodeFlags());

/**
 * The bench's clients all come from one address with one key; the relay's per-address and
 * per-caller socket limits (meant for production traffic) are lifted for it.
 */
const UNLIMITED = { RELAY_MAX_SOCKETS_PER_ADDRESS: '1000000', RELAY_MAX_SOCKETS_PER_CALLER: '1000000' };

/** Only the idle-socket capacity (BENCH_SOCKETS, default 10,000) on a fresh relay process. */
export async function benchRelayCapacity(env: Record<string, string> = {}): Promise<string> {
  const idle = await startDeployedRelay({ ...UNLIMITED, ...env });
  try {
    return await capacity(idle.url, idle.pid, Number(process.env.BENCH_SOCKETS ?? 10_000));
  } finally {
    await idle.stop();
  }
}

export async function benchRelay(): Promise<string> {
  const relay = await startDeployedRelay(UNLIMITED);
  try {
    const lines = [
      '## Relay (one relay process, Firestore emulator; writes through Hosting → Functions emulator)',
      await bareListenerLatency(300),
      await pushLatency(relay.url, 1, 300),
      await pushLatency(relay.url, 100, 100),
      await pushLatency(relay.url, 1000, 30),
      await lossCheck(relay.url, 100, 1000),
    ];
    const idle = await startDeployedRelay(UNLIMITED);
    try {
      lines.push(await capacity(idle.url, idle.pid, Number(process.env.BENCH_SOCKETS ?? 10_000)));
    } finally {
      await idle.stop();
    }
    return lines.join('\n');
  } finally {
    await relay.stop();
  }
}
