/**
 * @module bench/search — the per-AI search index (functions/src/search/aiIndexes.ts) against
 * Firestore's own vector search, and what writes cost, all in one run (`BENCH_ONLY=search`):
 *
 *  1. hybrid search at 1,000 and 10,000 memories per AI, two ways: the search function called
 *     directly (`searchMemories`: catch-up with the event log, query embedding, ranking) and
 *     `POST /v1/ais/{ai}/search` over loopback HTTP to createApp in this process (startApp: adds
 *     authentication, the AI read, JSON); beside a bare `findNearest` (limit 20, COSINE) over the
 *     same memories' vectors, the three interleaved round by round. The vectors are in
 *     `ai_registry/{ai}/vectors` (search/vectors.ts), not in the memory documents, since writes
 *     stopped embedding; every seeded memory is long-term, so that collection holds exactly the
 *     `long_term_memory` tier's vectors;
 *  2. 4 searches of one AI in flight against 1 at a time (10,000 memories), with the bench's
 *     questions (repeated: their vectors come from the query cache) and with texts never asked
 *     before (each embedded);
 *  3. context assembly (assembleContext, as chat uses it) at 10,000 memories against findNearest;
 *  4. the cold first search of a 10,000-memory AI on a fresh AiIndexes (its build included), and
 *     the memory its index takes;
 *  5. creates through the Functions emulator (Hosting → Functions, the API bench's base URL) and
 *     in process, 1 and 8 in flight on one AI, against an HTTP floor: `POST /v1/_bench/write`
 *     (functions/src/routes/bench.ts, only under the emulators), which authenticates an
 *     administrator and makes one bare Firestore write through the same path.
 *
 * The store is the Firestore emulator (a JVM on this machine), not production Firestore.
 */
import os from 'node:os';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CollectionReference } from 'firebase-admin/firestore';
import { MEMORY_TYPES } from '@memory-weaver/protocol';
import { tierRef } from '@memory-weaver/core';
import { assembleContext } from '../functions/src/chat/context.js';
import { createLocalEmbedder } from '../functions/src/embeddings/local.js';
import { AiIndexes } from '../functions/src/search/aiIndexes.js';
import { searchMemories } from '../functions/src/search/searchMemories.js';
import { vectorsRef } from '../functions/src/search/vectors.js';
import { localAppDeps, startApp, type RunningApp } from '../tests/support/app.js';
import { API_URL, adminIdToken, db } from '../tests/support/emulators.js';
import { newAi, type AiSession } from '../tests/support/http.js';
import { BENCH_QUESTIONS as QUESTIONS, bareFindNearest, makeCorpus, seedMemories, SEED_NOTE } from './seed.js';
import { percentile } from './stats.js';

setFlagsFromString('--expose-gc');
/** V8's collector, to read the heap after garbage is gone (the flag above exposes it in new contexts). */
const gc = runInNewContext('gc') as () => void;

const embedder = createLocalEmbedder();

interface Summary {
  p50: number;
  p95: number;
  n: number;
}
const summary = (xs: number[]): Summary => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), n: s.length };
};
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const pp = (s: Summary) => `${ms(s.p50)} / ${ms(s.p95)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const goal = (met: boolean) => (met ? 'met' : 'NOT met');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Garbage-collection pauses from now until `stop()`. */
function watchGc(): { stop(): string } {
  const pauses: number[] = [];
  const take = (entries: PerformanceEntry[]) => pauses.push(...entries.map((e) => e.duration));
  const observer = new PerformanceObserver((list) => take(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      take(observer.takeRecords());
      observer.disconnect();
      const total = pauses.reduce((a, b) => a + b, 0);
      return `${pauses.length} GC pauses, ${ms(total)} ms in all, longest ${ms(Math.max(0, ...pauses))} ms`;
    },
  };
}

async function timed<T>(op: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const value = await op();
  return [performance.now() - t, value];
}

/** `n` operations with `concurrency` in flight: each one's latency, and operations per second. */
async function inFlight(
  n: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<{ lat: Summary; perSecond: number }> {
  const lat: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        lat.push((await timed(() => op(i)))[0]);
      }
    }),
  );
  return { lat: summary(lat), perSecond: (n / (performance.now() - start)) * 1000 };
}

/** A POST whose failure stops the bench, except a 503, which is retried after its Retry-After (as the SDK does) and counted. */
async function postJson(
  url: string,
  token: string,
  body: unknown,
  retried?: { n: number },
): Promise<Record<string, unknown>> {
  for (;;) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status === 503 && retried) {
      retried.n += 1;
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
      continue;
    }
    if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as Record<string, unknown>;
  }
}

interface Setup {
  app: RunningApp;
  indexes: AiIndexes;
  vectors: Map<string, number[]>;
}

const findNearest = (aiUuid: string, vector: number[]) => bareFindNearest(db, aiUuid, vector);

/** Item 1 (and the breakdown of a search at 10,000): direct, HTTP in process and findNearest, interleaved. */
async function warmSearch(s: Setup, ai: AiSession, n: number, rounds: number): Promise<string[]> {
  const deps = { indexes: s.indexes, embedder };
  const url = `${s.app.url}/v1/ais/${ai.ai_uuid}/search`;
  const direct: number[] = [];
  const http: number[] = [];
  const bare: number[] = [];
  const embed: number[] = [];
  const catchUp: number[] = [];
  const rank: number[] = [];
  const rankVector: number[] = [];
  const rankKeyword: number[] = [];
  // Warm-up: the first search builds this instance's index of the AI; the JIT and the emulator warm up.
  for (let i = 0; i < 10; i++) {
    await searchMemories(deps, ai.ai_uuid, MEMORY_TYPES, QUESTIONS[i % QUESTIONS.length] as string, {
      mode: 'hybrid',
      limit: 20,
    });
    await postJson(url, ai.api_key, { query: QUESTIONS[i % QUESTIONS.length], limit: 20 });
    await findNearest(ai.ai_uuid, s.vectors.get(QUESTIONS[i % QUESTIONS.length] as string) ?? []);
  }
  let found = 0;
  const gcs = watchGc();
  for (let i = 0; i < rounds; i++) {
    const q = QUESTIONS[i % QUESTIONS.length] as string;
    const vector = s.vectors.get(q) ?? [];
    const [d, hits] = await timed(() =>
      searchMemories(deps, ai.ai_uuid, MEMORY_TYPES, q, { mode: 'hybrid', limit: 20 }),
    );
    direct.push(d);
    found += hits.length;
    http.push((await timed(() => postJson(url, ai.api_key, { query: q, limit: 20, mode: 'hybrid' })))[0]);
    bare.push((await timed(() => findNearest(ai.ai_uuid, vector)))[0]);
    embed.push((await timed(() => embedder.embed([q])))[0]);
    const [c, index] = await timed(() => s.indexes.current(ai.ai_uuid));
    catchUp.push(c);
    const rankIn = (mode: 'hybrid' | 'vector' | 'keyword') =>
      timed(() => Promise.resolve(index.search({ text: q, vector, tiers: MEMORY_TYPES, mode, limit: 20 })));
    rank.push((await rankIn('hybrid'))[0]);
    rankVector.push((await rankIn('vector'))[0]);
    rankKeyword.push((await rankIn('keyword'))[0]);
  }
  const gcLine = gcs.stop();
  const sd = summary(direct);
  const sh = summary(http);
  const sb = summary(bare);
  const label = `${n.toLocaleString('en')} memories`;
  const lines = [
    `  ${label}: search direct ${pp(sd)} | HTTP in process ${pp(sh)} | bare findNearest ${pp(sb)}  (${rounds} rounds, ${(found / rounds).toFixed(0)} hits each)`,
    `    where a direct search's time goes (p50, measured apart): query embedding ${ms(summary(embed).p50)} ms (a repeated text takes its vector from the cache, search/queryVectors.ts; the bench's questions repeat), catch-up with the event log ${ms(summary(catchUp).p50)} ms, ranking in memory ${ms(summary(rank).p50)} ms (p95 ${ms(summary(rank).p95)}; vector alone ${ms(summary(rankVector).p50)}, keyword alone ${ms(summary(rankKeyword).p50)})`,
    `    in this process during these rounds: ${gcLine}`,
  ];
  if (n === 1_000)
    lines.push(`    goal p95 ≤ 50 ms at 1,000: direct ${goal(sd.p95 <= 50)}, HTTP in process ${goal(sh.p95 <= 50)}`);
  else
    lines.push(
      `    goal search p95 ≤ findNearest p95: direct ${ratio(sd.p95, sb.p95)} ${goal(sd.p95 <= sb.p95)}, HTTP ${ratio(sh.p95, sb.p95)} ${goal(sh.p95 <= sb.p95)}`,
    );
  return lines;
}

/** Item 2: the same AI searched 4 at a time against 1 at a time. */
async function concurrentSearch(s: Setup, ai: AiSession): Promise<string[]> {
  const deps = { indexes: s.indexes, embedder };
  const url = `${s.app.url}/v1/ais/${ai.ai_uuid}/search`;
  const q = (i: number) => QUESTIONS[i % QUESTIONS.length] as string;
  const direct = (i: number) => searchMemories(deps, ai.ai_uuid, MEMORY_TYPES, q(i), { mode: 'hybrid', limit: 20 });
  const http = (i: number) => postJson(url, ai.api_key, { query: q(i), limit: 20 });
  // Each text new, so none is in the query-vector cache (search/queryVectors.ts): every search embeds.
  let asked = 0;
  const fresh = (i: number) =>
    searchMemories(deps, ai.ai_uuid, MEMORY_TYPES, `${q(i)} (asked ${asked++})`, { mode: 'hybrid', limit: 20 });
  const lines: string[] = [];
  for (const [label, op] of [
    ['direct', direct],
    ['HTTP in process', http],
    ['direct, every query new (embedded each time)', fresh],
  ] as const) {
    const one = await inFlight(100, 1, op);
    const four = await inFlight(200, 4, op);
    lines.push(
      `  ${label}: 1 at a time p50 ${ms(one.lat.p50)} ms (${one.perSecond.toFixed(0)}/s) | 4 in flight p50 ${ms(four.lat.p50)} ms p95 ${ms(four.lat.p95)} ms (${four.perSecond.toFixed(0)}/s) | ratio ${ratio(four.lat.p50, one.lat.p50)}, goal ≤ 2x ${goal(four.lat.p50 <= 2 * one.lat.p50)}`,
    );
  }
  return lines;
}

/** Item 3: what chat does before the model, at 10,000 memories, against findNearest. */
async function assembly(s: Setup, ai: AiSession, rounds: number): Promise<string[]> {
  const deps = { indexes: s.indexes, embedder };
  const settings = { name: ai.ai_name, instructions: '', contextTokens: 2_000 };
  const assemble: number[] = [];
  const bare: number[] = [];
  let used = 0;
  for (let i = -5; i < rounds; i++) {
    const q = QUESTIONS[(i + QUESTIONS.length) % QUESTIONS.length] as string;
    const [a, c] = await timed(() =>
      assembleContext(deps, db, ai.ai_uuid, settings, null, [{ role: 'user', content: q }]),
    );
    const [b] = await timed(() => findNearest(ai.ai_uuid, s.vectors.get(q) ?? []));
    if (i < 0) continue;
    assemble.push(a);
    bare.push(b);
    used += c.used.length;
  }
  const sa = summary(assemble);
  const sb = summary(bare);
  return [
    `  assembly ${pp(sa)} | bare findNearest ${pp(sb)} | p50 ${ratio(sa.p50, sb.p50)}, p95 ${ratio(sa.p95, sb.p95)}; goal ≤ 1.5x ${goal(sa.p95 <= 1.5 * sb.p95 && sa.p50 <= 1.5 * sb.p50)} (${rounds} rounds, ${(used / rounds).toFixed(1)} memories used each)`,
  ];
}

/** Item 4: a fresh AiIndexes' first search of the 10,000-memory AI, three times, and the heap it keeps. */
async function coldSearch(ai: AiSession, n: number): Promise<string[]> {
  const lines: string[] = [];
  const firsts: number[] = [];
  for (let run = 1; run <= 3; run++) {
    gc();
    const before = process.memoryUsage();
    const indexes = new AiIndexes(db, embedder, { maxMemories: 1_000_000 });
    const deps = { indexes, embedder };
    const [first, hits] = await timed(() =>
      searchMemories(deps, ai.ai_uuid, MEMORY_TYPES, 'How is the garden doing?', { mode: 'hybrid', limit: 20 }),
    );
    const [second] = await timed(() =>
      searchMemories(deps, ai.ai_uuid, MEMORY_TYPES, 'What about the cat?', { mode: 'hybrid', limit: 20 }),
    );
    gc();
    const after = process.memoryUsage();
    const size = indexes.info().memories;
    firsts.push(first);
    const heap = after.heapUsed - before.heapUsed;
    const buffers = after.arrayBuffers - before.arrayBuffers;
    const per10k = (bytes: number) => mb((bytes / size) * 10_000);
    lines.push(
      `  run ${run}: first search ${ms(first)} ms (build of ${size.toLocaleString('en')} memories included, ${hits.length} hits), the next ${ms(second)} ms; ` +
        `heapUsed +${mb(heap)}, arrayBuffers +${mb(buffers)} (vectors) → ${per10k(heap)} heap + ${per10k(buffers)} vectors per 10,000 memories`,
    );
  }
  // What the build reads, alone: every memory document and every stored vector, in pages of 1,000.
  const readAll = async (col: CollectionReference) => {
    let query = col.orderBy('__name__').limit(1_000);
    for (;;) {
      const docs = (await query.get()).docs;
      const last = docs.at(-1);
      if (!last || docs.length < 1_000) return;
      query = query.startAfter(last);
    }
  };
  const memories = tierRef(db, ai.ai_uuid, 'long_term_memory');
  const stored = vectorsRef(db, ai.ai_uuid);
  const [both] = await timed(() => Promise.all([readAll(memories), readAll(stored)]));
  const [memoriesAlone] = await timed(() => readAll(memories));
  const [vectorsAlone] = await timed(() => readAll(stored));
  const worst = Math.max(...firsts);
  lines.push(
    `  what the build reads, read alone (pages of 1,000): the ${n.toLocaleString('en')} memory documents and their vectors side by side ${ms(both)} ms; memories alone ${ms(memoriesAlone)} ms, vectors alone ${ms(vectorsAlone)} ms`,
    `  goal first search ≤ 3 s: ${goal(worst <= 3_000)} (worst ${ms(worst)} ms)`,
  );
  return lines;
}

/** Item 5: creates against the floor, through one base URL. */
async function creates(base: string, label: string, n: number): Promise<string[]> {
  const admin = await adminIdToken();
  const ai = await postJson(`${base}/v1/handshake`, admin, { ai_name: `bench-creates-${label.replace(/\W+/g, '-')}` });
  const key = String(ai.api_key);
  const createUrl = `${base}/v1/ais/${String(ai.ai_uuid)}/memories/working_memory`;
  const retried = { n: 0 };
  let k = 0;
  const create = () =>
    postJson(createUrl, key, { content: `Bench memory ${k++}: ${QUESTIONS[k % QUESTIONS.length]}` }, retried);
  const floor = () => postJson(`${base}/v1/_bench/write`, admin, {});
  const health = async () => {
    const res = await fetch(`${base}/v1/healthz`);
    await res.text();
  };
  // Warm-up: the Functions emulator starts worker processes (each loads the embedder) on demand.
  await inFlight(48, 8, create);
  await inFlight(48, 8, floor);
  await inFlight(48, 8, health);
  retried.n = 0;
  const c1 = await inFlight(n, 1, create);
  const f1 = await inFlight(n, 1, floor);
  const h1 = await inFlight(n, 1, health);
  const c8 = await inFlight(n, 8, create);
  const f8 = await inFlight(n, 8, floor);
  return [
    `  ${label}: create ${pp(c1.lat)}, ${c1.perSecond.toFixed(0)}/s at 1 in flight; 8 in flight ${pp(c8.lat)}, ${c8.perSecond.toFixed(0)}/s` +
      (retried.n > 0 ? ` (${retried.n} answers 503, retried after Retry-After)` : ' (no 503)'),
    `    floor (admin, one bare write) ${pp(f1.lat)}, ${f1.perSecond.toFixed(0)}/s at 1; 8 in flight ${pp(f8.lat)}, ${f8.perSecond.toFixed(0)}/s | GET /v1/healthz ${pp(h1.lat)}`,
    `    create p50 / floor p50 ${ratio(c1.lat.p50, f1.lat.p50)}, goal ≤ 2x ${goal(c1.lat.p50 <= 2 * f1.lat.p50)}; creates/s at 8 in flight ${c8.perSecond.toFixed(0)}, goal ≥ 150/s ${goal(c8.perSecond >= 150)}`,
  ];
}

export async function benchSearch(): Promise<string> {
  const started = performance.now();
  const out: string[] = [
    '## Search over the per-AI index (Firestore emulator, offline embedder)',
    `  machine: ${os.cpus().length} cores (os.cpus().length), load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at start`,
    `  memories ${SEED_NOTE}`,
  ];
  const [tCorpus, corpus] = await timed(() => makeCorpus(embedder));
  const vectors = new Map<string, number[]>();
  const qv = await embedder.embed(QUESTIONS);
  QUESTIONS.forEach((q, i) => vectors.set(q, qv[i] ?? []));
  const ai1k = await newAi('bench-search-1000');
  const ai10k = await newAi('bench-search-10000');
  const seed1k = await seedMemories(db, ai1k.ai_uuid, corpus, 1_000);
  const seed10k = await seedMemories(db, ai10k.ai_uuid, corpus, 10_000);
  out.push(
    `  seeding: ${corpus.embedderId} embedded the base sentences in ${(tCorpus / 1000).toFixed(1)} s; 1,000 memories written in ${seed1k.toFixed(1)} s, 10,000 in ${seed10k.toFixed(1)} s`,
  );

  out.push('', '### 4. Cold first search, 10,000 memories (fresh AiIndexes each run; the embedder is already loaded)');
  out.push(...(await coldSearch(ai10k, 10_000)));

  const indexes = new AiIndexes(db, embedder, { maxMemories: 1_000_000 });
  // The bench route exists only under the Functions emulator (routes/bench.ts); this in-process
  // app stands in for it, so it is made with the emulator's flag set.
  const flag = process.env.FUNCTIONS_EMULATOR;
  process.env.FUNCTIONS_EMULATOR = 'true';
  const app = await startApp({
    ...localAppDeps(),
    embedder,
    indexes,
    limits: { perCallerPerMinute: 1_000_000, perAddressPerMinute: 1_000_000 },
  });
  if (flag === undefined) delete process.env.FUNCTIONS_EMULATOR;
  else process.env.FUNCTIONS_EMULATOR = flag;
  const setup: Setup = { app, indexes, vectors };
  try {
    out.push(
      '',
      "### 1. Hybrid search, limit 20, all tiers, p50 / p95 (direct = searchMemories() in this process; HTTP = POST /v1/ais/{ai}/search on createApp in this process over loopback; bare findNearest = limit 20, COSINE, over the AI's stored vectors)",
    );
    out.push(...(await warmSearch(setup, ai1k, 1_000, 200)));
    out.push(...(await warmSearch(setup, ai10k, 10_000, 120)));

    out.push('', `### 2. Concurrent searches of one AI, 10,000 memories (${os.cpus().length} cores)`);
    out.push(...(await concurrentSearch(setup, ai10k)));

    out.push('', '### 3. Context assembly (assembleContext, no session), 10,000 memories');
    out.push(...(await assembly(setup, ai10k, 60)));

    out.push(
      '',
      '### 5. Creates on one AI (POST /v1/ais/{ai}/memories/working_memory with its key) against POST /v1/_bench/write',
    );
    out.push(...(await creates(API_URL, `Functions emulator (${API_URL})`, 200)));
    out.push(...(await creates(app.url, 'in process (startApp)', 200)));
  } finally {
    await app.close();
  }
  out.push(
    `  (section took ${((performance.now() - started) / 1000).toFixed(0)} s; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end)`,
  );
  return out.join('\n');
}
