/**
 * @module bench/extraction — memory that learns from conversations (issue 11), `BENCH_ONLY=extraction`:
 *
 *  1. the pipeline per exchange, model excluded, at 1,000 and 10,000 memories per AI: in this
 *     process, `runExtraction(deps, ai, job)` (functions/src/extraction/runExtraction.ts) with the
 *     Firestore emulator, a real AiIndexes and the local embedder, and a ChatModel that answers at
 *     once from a table (`InstantModel` below: not a model). Each exchange proposes three facts: one
 *     new (add), one the previous exchange stated (duplicate: the same words), and a changed
 *     preference (supersede: the new memory, then the old one archived). The attempt is timed
 *     whole and the time inside the model's calls subtracted (they are timed by the wrapper).
 *     Each job is written with status `failed` (never `queued`), so the Functions emulator's
 *     `extract` trigger leaves it alone and only this process runs it (a failed job may be claimed).
 *  2. completion latency through the Functions emulator with the official `openai` client, for an
 *     AI with extraction on and one with it off, interleaved: equal within noise if extraction is
 *     off the request path.
 *  3. completed exchange → extracted memory on the relay: a relay process, a socket.io-client in
 *     the AI's room, time from the completion's response to the `memory_update` of type `created`
 *     whose memory was created by extraction (the stand-in model, the trigger, the change, the relay).
 *
 * The store is the Firestore emulator (a JVM on this machine), not production Firestore.
 */
import os from 'node:os';
import OpenAI from 'openai';
import { DEFAULT_EXTRACTION_SETTINGS, type MemoryUpdate } from '@memory-weaver/protocol';
import { systemClock } from '@memory-weaver/core';
import type { Embedder } from '../functions/src/embeddings/base.js';
import { createLocalEmbedder } from '../functions/src/embeddings/local.js';
import { extractionsRef, newJob } from '../functions/src/extraction/jobs.js';
import { runExtraction, type ExtractionDeps } from '../functions/src/extraction/runExtraction.js';
import type { ChatModel, ModelReply, ModelRequest } from '../functions/src/llm/base.js';
import { AiIndexes } from '../functions/src/search/aiIndexes.js';
import { API_URL, db } from '../tests/support/emulators.js';
import { call, newAi, type AiSession } from '../tests/support/http.js';
import { connect, connected, request, startRelay } from '../tests/support/relay.js';
import { makeCorpus, seedMemories, SEED_NOTE } from './seed.js';
import { percentile } from './stats.js';

const FAKE_LLM_URL = process.env.FAKE_LLM_URL ?? 'http://127.0.0.1:5055';
/** Any one wait of this section: past it the section stops with a message saying what it waited for. */
const WAIT_MS = 60_000;

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const pp = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${ms(percentile(s, 50))} ms, p95 ${ms(percentile(s, 95))} ms (n=${s.length})`;
};
const p95 = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    95,
  );

const reply = (text: string): ModelReply => ({ text, finishReason: 'stop', usage: null });

/**
 * Not a model: answers extraction's two structured questions at once from a table the bench sets
 * before each exchange (`facts`), and decides like the test stand-in would be scripted to (a
 * preference supersedes the stored preference; a neighbour with the same words is a duplicate;
 * anything else is new). Counts and times its calls, so the pipeline's own time can be told apart.
 */
class InstantModel implements ChatModel {
  readonly isModel = true;
  facts: { content: string; kind: string; subject: string }[] = [];
  spentMs = 0;
  calls = 0;

  complete(req: ModelRequest): Promise<ModelReply> {
    const t = performance.now();
    const format = req.options.response_format as { json_schema?: { name?: string } } | undefined;
    let text: string;
    if (format?.json_schema?.name === 'memory_facts') text = JSON.stringify({ facts: this.facts });
    else if (format?.json_schema?.name === 'memory_decisions') {
      const block = /<facts>\n?([\s\S]*?)<\/facts>/.exec(req.messages.map((m) => m.content).join('\n'))?.[1] ?? '';
      const { facts } = JSON.parse(block) as {
        facts: { index: number; content: string; neighbours: { id: string; content: string }[] }[];
      };
      const decisions = facts.map((f) => {
        const same = f.neighbours.find((n) => n.content === f.content);
        if (same) return { fact: f.index, action: 'duplicate', target: same.id };
        const old = f.content.includes(' prefers ') && f.neighbours.find((n) => n.content.includes(' prefers '));
        if (old) return { fact: f.index, action: 'supersede', target: old.id };
        return { fact: f.index, action: 'add', target: null };
      });
      text = JSON.stringify({ decisions });
    } else text = 'ok';
    this.calls += 1;
    this.spentMs += performance.now() - t;
    return Promise.resolve(reply(text));
  }

  async stream(req: ModelRequest, signal: AbortSignal, onDelta: (text: string) => void): Promise<ModelReply> {
    const r = await this.complete(req);
    if (!signal.aborted) onDelta(r.text);
    return r;
  }
}

const FRIENDS = ['Ada', 'Ben', 'Clara', 'Dario', 'Eva', 'Felix', 'Gaia', 'Hugo', 'Ivy', 'Jules', 'Kira', 'Leo'];
const CITIES = ['Lisbon', 'Porto', 'Ghent', 'Tallinn', 'Valencia', 'Krakow', 'Bergen', 'Lyon', 'Bologna'];
const DRINKS = ['tea', 'coffee', 'cocoa', 'lemonade', 'mate', 'kefir', 'lassi'];
const newFact = (i: number) =>
  `The user's friend ${FRIENDS[i % FRIENDS.length]} ${i} moved to ${CITIES[i % CITIES.length]} in year ${2000 + i}.`;
const preference = (i: number) =>
  `The user prefers ${DRINKS[i % DRINKS.length]} over ${DRINKS[(i + 3) % DRINKS.length]} in round ${i}.`;

/** Time spent in the index's catch-up and in embedding during one attempt (wrappers set up in benchExtraction). */
const spent = { catchUp: 0, embed: 0 };

/** Item 1: one AI seeded with `n` memories, `rounds` exchanges measured after `warm` unmeasured ones. */
async function pipeline(
  deps: ExtractionDeps & { chat: InstantModel },
  corpus: Awaited<ReturnType<typeof makeCorpus>>,
  n: number,
  rounds: number,
): Promise<{ line: string; p95: number }> {
  const ai = await newAi(`bench-extract-${n}`);
  const seedSeconds = await seedMemories(db, ai.ai_uuid, corpus, n);
  const model = deps.chat;
  const pipelineMs: number[] = [];
  const catchUpMs: number[] = [];
  const embedMs: number[] = [];
  const wholeMs: number[] = [];
  const outcomes: Record<string, number> = {};
  const decisions: Record<string, number> = {};
  const warm = 5;
  for (let i = 0; i < warm + rounds; i++) {
    // Numbered from n, so the two sizes never share a text (a repeated text's vector comes from the query cache).
    model.facts = [
      { content: newFact(n + i), kind: 'relationship', subject: 'friend' },
      ...(i > 0 ? [{ content: newFact(n + i - 1), kind: 'relationship', subject: 'friend' }] : []),
      { content: preference(n + i), kind: 'preference', subject: 'drink' },
    ];
    const jobId = `bench${String(i).padStart(6, '0')}`;
    const job = newJob({
      source: 'observe',
      sessionId: null,
      turnIds: [],
      messages: [{ role: 'user', content: `exchange ${i}` }],
      injected: [],
      settings: { ...DEFAULT_EXTRACTION_SETTINGS, enabled: true },
      model: 'instant-table',
      at: new Date(),
    });
    // `failed`, not `queued`: the emulator's extract trigger runs only queued jobs (see the module note).
    await extractionsRef(db, ai.ai_uuid)
      .doc(jobId)
      .set({ ...job, status: 'failed' });
    model.spentMs = 0;
    spent.catchUp = 0;
    spent.embed = 0;
    const t = performance.now();
    const outcome = await runExtraction(deps, ai.ai_uuid, jobId);
    const whole = performance.now() - t;
    if (i < warm) continue;
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    wholeMs.push(whole);
    pipelineMs.push(whole - model.spentMs);
    catchUpMs.push(spent.catchUp);
    embedMs.push(spent.embed);
    const applied = (await extractionsRef(db, ai.ai_uuid).doc(jobId).get()).get('applied') as Record<
      string,
      { decision: string }
    >;
    for (const a of Object.values(applied)) decisions[a.decision] = (decisions[a.decision] ?? 0) + 1;
  }
  if (outcomes.done !== rounds) throw new Error(`pipeline at ${n}: attempts ended ${JSON.stringify(outcomes)}`);
  const label = `${n.toLocaleString('en')} memories`;
  return {
    p95: p95(pipelineMs),
    line:
      `  ${label.padEnd(16)} pipeline without the model ${pp(pipelineMs)} | whole attempt ${pp(wholeMs)} | ` +
      `decisions ${Object.entries(decisions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} (seeded in ${seedSeconds.toFixed(1)} s, ${warm} exchanges first unmeasured: the index build)\n` +
      `    of which, per exchange (p50, summed over its 3 neighbour searches, which run both side by side): index catch-up with the event log ${ms(
        percentile(
          [...catchUpMs].sort((a, b) => a - b),
          50,
        ),
      )} ms, ` +
      `embedding the candidates ${ms(
        percentile(
          [...embedMs].sort((a, b) => a - b),
          50,
        ),
      )} ms; the rest is ranking and the attempt's Firestore transactions (claim, checkpoint, lease, one change per add or duplicate and two per supersede, release, finish)`,
  };
}

async function script(ai: AiSession, facts: { when: string; content: string }[]): Promise<void> {
  const res = await fetch(`${FAKE_LLM_URL}/__extraction/script`, {
    method: 'POST',
    body: JSON.stringify({ user: ai.ai_uuid, facts }),
  });
  if (res.status !== 204) throw new Error(`scripting the model stand-in at ${FAKE_LLM_URL}: HTTP ${res.status}`);
  const on = await call('PATCH', `/v1/ais/${ai.ai_uuid}/extraction`, { token: ai.api_key, body: { enabled: true } });
  if (on.status !== 200 || on.body.active !== true) {
    throw new Error(`turning extraction on: HTTP ${on.status} ${JSON.stringify(on.body).slice(0, 300)}`);
  }
}

/** Waits until every extraction job of the AI has ended (bounded), and says how many failed. */
async function drained(ai: AiSession, what: string): Promise<number> {
  const deadline = Date.now() + WAIT_MS * 2;
  for (;;) {
    const r = await call('GET', `/v1/ais/${ai.ai_uuid}/extractions?limit=100`, { token: ai.api_key });
    const jobs = (r.body.extractions ?? []) as { status: string }[];
    const open = jobs.filter((j) => j.status === 'queued' || j.status === 'running').length;
    if (open === 0) return jobs.filter((j) => j.status === 'failed').length;
    if (Date.now() > deadline)
      throw new Error(`${what}: ${open} extraction jobs still open after ${(WAIT_MS * 2) / 1000} s`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

const openai = (ai: AiSession) =>
  new OpenAI({ apiKey: ai.api_key, baseURL: `${API_URL}/v1`, maxRetries: 0, timeout: WAIT_MS });

/** Item 2: completion latency, extraction on against off, interleaved round by round. */
async function completionLatency(rounds: number): Promise<string[]> {
  const on = await newAi('bench-extract-on');
  const off = await newAi('bench-extract-off');
  await script(on, [{ when: 'my favourite number is (\\d+)', content: "The user's favourite number is $1." }]);
  const ask = (ai: AiSession, i: number) =>
    openai(ai).chat.completions.create({
      model: 'fake-echo',
      messages: [{ role: 'user', content: `Note this: my favourite number is ${i}. What is ${i} squared?` }],
    });
  for (let i = 0; i < 5; i++) await Promise.all([ask(on, i), ask(off, i)].map((p) => p.catch(() => undefined)));
  const onMs: number[] = [];
  const offMs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first, so neither always meets the other's extraction job in flight.
    const order: [AiSession, number[]][] =
      i % 2
        ? [
            [on, onMs],
            [off, offMs],
          ]
        : [
            [off, offMs],
            [on, onMs],
          ];
    for (const [ai, into] of order) {
      const t = performance.now();
      await ask(ai, 100 + i);
      into.push(performance.now() - t);
    }
  }
  const failed = await drained(on, 'completion latency');
  const ratio =
    percentile(
      [...onMs].sort((a, b) => a - b),
      50,
    ) /
    percentile(
      [...offMs].sort((a, b) => a - b),
      50,
    );
  return [
    `  extraction off: ${pp(offMs)}`,
    `  extraction on:  ${pp(onMs)}   (p50 on / off ${ratio.toFixed(2)}x; its ${rounds + 5} jobs ran in the extract trigger meanwhile, ${failed} failed)`,
  ];
}

/** Item 3: the completion's response → the extracted memory's `memory_update` at a client of a relay. */
async function relayVisible(rounds: number): Promise<string[]> {
  const ai = await newAi('bench-extract-relay');
  await script(ai, [{ when: 'I adopted a (\\w+) named (\\w+)', content: 'The user has a $1 named $2.' }]);
  const relay = await startRelay();
  const socket = connect(relay.url, { api_key: ai.api_key });
  try {
    await connected(socket);
    const joined = await request(socket, 'join', { ai_uuid: ai.ai_uuid });
    if (!joined.ok) throw new Error(`joining the AI's room on the relay: ${JSON.stringify(joined)}`);
    const arrived = new Map<string, number>();
    socket.on('memory_update', (u: MemoryUpdate) => {
      if (u.type === 'created' && u.memory?.created_by.kind === 'extraction')
        arrived.set(u.memory.content, performance.now());
    });
    const fromResponse: number[] = [];
    const fromRequest: number[] = [];
    for (let i = 0; i < rounds + 3; i++) {
      const name = `Pet${i}x${Date.now() % 100_000}`;
      const content = `The user has a dog named ${name}.`;
      const sent = performance.now();
      await openai(ai).chat.completions.create({
        model: 'fake-echo',
        messages: [{ role: 'user', content: `Big news: I adopted a dog named ${name} yesterday.` }],
      });
      const answered = performance.now();
      const deadline = Date.now() + WAIT_MS;
      while (!arrived.has(content)) {
        if (Date.now() > deadline) {
          throw new Error(
            `no memory_update (created by extraction) for "${content}" on the relay ${WAIT_MS / 1000} s after the completion; ` +
              'see artifacts/logs/ (the extract trigger, the stand-in, the relay)',
          );
        }
        await new Promise((r) => setTimeout(r, 2));
      }
      if (i < 3) continue; // warm-up: the trigger's instance and the AI's index are built on the first
      fromResponse.push((arrived.get(content) as number) - answered);
      fromRequest.push((arrived.get(content) as number) - sent);
    }
    return [
      `  from the completion's response: ${pp(fromResponse)}`,
      `  from the completion's request:  ${pp(fromRequest)}   (3 exchanges first unmeasured; one exchange at a time, each waited for)`,
    ];
  } finally {
    socket.close();
    await relay.stop();
  }
}

export async function benchExtraction(): Promise<string> {
  const started = performance.now();
  const out = [
    '## Extraction (issue 11): pipeline, completion latency, exchange → memory on the relay',
    `  machine: ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} at start`,
    '',
    '### 1. Pipeline per exchange without the model (in process: runExtraction with the Firestore emulator, AiIndexes, local embedder)',
    '  model: InstantModel, a table in this process answering at once (not a model); time inside its calls subtracted',
    '  each exchange: 3 facts = 1 new (add), 1 restated from the exchange before (duplicate), 1 changed preference (supersede)',
    `  memories ${SEED_NOTE}`,
  ];
  const embedder = createLocalEmbedder();
  const corpus = await makeCorpus(embedder);
  const model = new InstantModel();
  const indexes = new AiIndexes(db, embedder, { maxMemories: 1_000_000 });
  const current = indexes.current.bind(indexes);
  indexes.current = async (aiUuid: string) => {
    const t = performance.now();
    try {
      return await current(aiUuid);
    } finally {
      spent.catchUp += performance.now() - t;
    }
  };
  const timedEmbedder: Embedder = Object.assign(Object.create(embedder) as Embedder, {
    embed: async (texts: string[]) => {
      const t = performance.now();
      try {
        return await embedder.embed(texts);
      } finally {
        spent.embed += performance.now() - t;
      }
    },
  });
  const deps = {
    db,
    clock: systemClock,
    chat: model,
    embedder: timedEmbedder,
    indexes,
    timeoutMs: 30_000,
  };
  const rounds = Number(process.env.BENCH_EXTRACTION_ROUNDS ?? 60);
  out.push((await pipeline(deps, corpus, 1_000, rounds)).line);
  const at10k = await pipeline(deps, corpus, 10_000, rounds);
  out.push(at10k.line);
  out.push(`  goal p95 < 100 ms at 10,000: ${at10k.p95 < 100 ? 'met' : 'NOT met'} (${ms(at10k.p95)} ms)`);

  out.push('', '### 2. Completion latency through the Functions emulator (official openai client, stand-in model)');
  out.push(...(await completionLatency(Number(process.env.BENCH_EXTRACTION_COMPLETIONS ?? 60))));

  out.push(
    '',
    '### 3. Completed exchange → extracted memory on the relay (stand-in model, extract trigger in the Functions emulator, one relay)',
  );
  out.push(...(await relayVisible(Number(process.env.BENCH_EXTRACTION_RELAY_ROUNDS ?? 30))));
  out.push(`  (section took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  return out.join('\n');
}
