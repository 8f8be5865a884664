/**
 * @module eval/harness — runs dev-set samples against a Memory Weaver API over its public HTTP
 * API only: one AI per sample, one memory per turn, then every question through search (three
 * modes) and the context preview. eval/run.ts is the command line around it.
 */
import { randomUUID } from 'node:crypto';
import { sessionsOf, type DevSample } from './generate-devset.js';
import type { QuestionResult } from './metrics.js';

export const MEMORY_TYPES = ['working_memory', 'long_term_memory', 'personal_logs', 'archive'] as const;
export type MemoryType = (typeof MEMORY_TYPES)[number];
export const SEARCH_LIMIT = 20;

// ---------------------------------------------------------------------------------------------
// HTTP with retries

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly body: string,
  ) {
    super(`${path}: ${status} ${body.slice(0, 300)}`);
  }
}

export interface ApiClient {
  baseUrl: string;
  /** Retries taken so far (429/503 and network errors), for the report. */
  retries: number;
}

export const apiClient = (baseUrl: string): ApiClient => ({ baseUrl: baseUrl.replace(/\/+$/, ''), retries: 0 });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAX_ATTEMPTS = 8;
const TIMEOUT_MS = 120_000;

/**
 * A JSON request. 429 and 503 are retried after their Retry-After (seconds; 1 s when absent), a
 * network failure after a growing pause; only requests that may be repeated come here (reads, and
 * writes that carry an Idempotency-Key). Answers the body and the time of the last attempt.
 */
export async function request(
  api: ApiClient,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ body: unknown; ms: number }> {
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    let res: Response;
    try {
      res = await fetch(`${api.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS) throw err;
      api.retries += 1;
      await sleep(Math.min(10_000, 250 * 2 ** attempt));
      continue;
    }
    const text = await res.text();
    const ms = performance.now() - started;
    if ((res.status === 429 || res.status === 503) && attempt < MAX_ATTEMPTS) {
      const after = Number(res.headers.get('retry-after'));
      api.retries += 1;
      await sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 60) * 1000 : 1000);
      continue;
    }
    if (!res.ok) throw new ApiError(res.status, path, text);
    return { body: JSON.parse(text) as unknown, ms };
  }
}

/** Runs `work` over the items with at most `concurrency` in flight; results keep the items' order. */
export async function pool<T, R>(items: readonly T[], concurrency: number, work: (item: T, i: number) => Promise<R>) {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i] as T, i);
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// An administrator on the Auth emulator

/**
 * Makes an administrator on the Auth emulator through its REST API (sign up, set the `admin`
 * claim with the emulator's `owner` credential, sign in again so the token carries the claim).
 */
export async function emulatorAdminToken(
  authHost = process.env.FIREBASE_AUTH_EMULATOR_HOST,
  projectId = process.env.GCLOUD_PROJECT ?? 'demo-memory-weaver',
): Promise<string> {
  if (!authHost) throw new Error('FIREBASE_AUTH_EMULATOR_HOST is not set: run through `npm run eval`, or give --token');
  const base = `http://${authHost}/identitytoolkit.googleapis.com/v1`;
  const post = async <T>(path: string, body: unknown, token?: string): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Auth emulator ${path}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  const email = `eval-${randomUUID()}@example.test`;
  const password = `pw-${randomUUID()}`;
  const user = await post<{ localId: string }>('/accounts:signUp?key=demo-key', {
    email,
    password,
    returnSecureToken: true,
  });
  await post(
    `/projects/${projectId}/accounts:update`,
    { localId: user.localId, customAttributes: JSON.stringify({ admin: true }) },
    'owner',
  );
  const signedIn = await post<{ idToken: string }>('/accounts:signInWithPassword?key=demo-key', {
    email,
    password,
    returnSecureToken: true,
  });
  return signedIn.idToken;
}

// ---------------------------------------------------------------------------------------------
// One sample

export interface RunOptions {
  tier: MemoryType;
  /** Requests in flight while ingesting. */
  ingestConcurrency: number;
  /** Questions in flight while asking (each question's four requests go one after another). */
  questionConcurrency: number;
  /** Ask only the first n questions of the sample. */
  questions?: number | undefined;
  /** Prefix each memory with its session's date ("[8 May, 2023] Maya: …"). */
  withDate: boolean;
  /** Keep the AI after the run (it is deleted by default). */
  keep: boolean;
  /** Called with progress lines. */
  log: (line: string) => void;
}

export interface IngestFigures {
  memories: number;
  seconds: number;
  /** Memories per second with `ingestConcurrency` in flight. */
  rate: number;
}

export interface SampleRun {
  sample_id: string;
  ai_uuid: string | null;
  ingest: IngestFigures | null;
  questions: QuestionResult[];
  /** Set when the sample could not be run (AI or ingest failed); its questions are then absent. */
  error?: string;
}

interface HandshakeBody {
  ai_uuid: string;
  api_key: string;
}
interface MemoryChangeBody {
  memory_id: string;
}
interface MemoryBody {
  memory_id: string;
  metadata?: Record<string, unknown>;
}
interface SearchBody {
  results: { memory: MemoryBody }[];
}
interface ContextBody {
  memories_used: { memory_id: string }[];
  tokens: { memories: number };
}

/** The turns of a sample as memories: content and metadata. */
export function memoriesOf(sample: DevSample, withDate = false) {
  return sessionsOf(sample.conversation).flatMap(({ session, date, turns }) =>
    turns.map((t) => ({
      dia_id: t.dia_id,
      content: `${withDate ? `[${date.replace(/^.* on /, '')}] ` : ''}${t.speaker}: ${t.text}`,
      metadata: { dia_id: t.dia_id, session, date },
    })),
  );
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function runSample(
  api: ApiClient,
  adminToken: string,
  sample: DevSample,
  opts: RunOptions,
): Promise<SampleRun> {
  const run: SampleRun = { sample_id: sample.sample_id, ai_uuid: null, ingest: null, questions: [] };
  const runId = randomUUID().slice(0, 8);
  let key: string;
  try {
    const ai = await request(
      api,
      'POST',
      '/v1/ais',
      adminToken,
      { ai_name: `eval ${sample.sample_id}` },
      {
        'idempotency-key': `eval-${runId}-${sample.sample_id}-ai`,
      },
    );
    const body = ai.body as HandshakeBody;
    run.ai_uuid = body.ai_uuid;
    key = body.api_key;
  } catch (err) {
    return { ...run, error: `creating the AI: ${message(err)}` };
  }
  const aiPath = `/v1/ais/${run.ai_uuid}`;

  try {
    // Warm-up, not measured: the Functions emulator runs each concurrent request in a worker
    // process of its own, and a new worker loads the embedding model on its first request.
    // Searches (which embed their query) with as many in flight as the ingest will have.
    const warmup = (n: number) =>
      pool(Array.from({ length: n }), n, () =>
        request(api, 'POST', `${aiPath}/search`, key, { query: 'warm-up', limit: 1, memory_types: [opts.tier] }),
      );
    await warmup(opts.ingestConcurrency);

    // Ingest: one memory per turn, with the AI's own key (its own rate-limit bucket).
    const memories = memoriesOf(sample, opts.withDate);
    const diaOf = new Map<string, string>();
    const started = performance.now();
    let done = 0;
    await pool(memories, opts.ingestConcurrency, async (m) => {
      const r = await request(
        api,
        'POST',
        `${aiPath}/memories/${opts.tier}`,
        key,
        { content: m.content, metadata: m.metadata },
        { 'idempotency-key': `eval-${runId}-${m.dia_id}` },
      );
      diaOf.set((r.body as MemoryChangeBody).memory_id, m.dia_id);
      done += 1;
      if (done % 100 === 0) opts.log(`  ${sample.sample_id}: ${done}/${memories.length} memories`);
    });
    const seconds = (performance.now() - started) / 1000;
    run.ingest = { memories: memories.length, seconds, rate: memories.length / seconds };
    opts.log(`  ${sample.sample_id}: ingested ${memories.length} memories in ${seconds.toFixed(1)} s`);

    // Questions: three searches and a context preview each.
    const turnOf = (m: MemoryBody) =>
      diaOf.get(m.memory_id) ?? (typeof m.metadata?.dia_id === 'string' ? m.metadata.dia_id : `?${m.memory_id}`);
    const qa = opts.questions === undefined ? sample.qa : sample.qa.slice(0, opts.questions);
    const search = async (query: string, mode: 'hybrid' | 'keyword' | 'vector') => {
      const r = await request(api, 'POST', `${aiPath}/search`, key, {
        query,
        mode,
        limit: SEARCH_LIMIT,
        memory_types: [opts.tier],
      });
      return { ms: r.ms, results: (r.body as SearchBody).results };
    };
    // Warm-up, not measured: the Functions emulator starts a worker process per concurrent
    // request, and the first requests of each pay for it.
    const warmups = sample.qa.slice(0, 2 * opts.questionConcurrency);
    await pool(warmups, opts.questionConcurrency, async (q) => {
      for (const mode of ['hybrid', 'keyword', 'vector'] as const) await search(q.question, mode);
      await request(api, 'POST', `${aiPath}/context`, key, { messages: [{ role: 'user', content: q.question }] });
    });
    let asked = 0;
    run.questions = await pool(qa, opts.questionConcurrency, async (q): Promise<QuestionResult> => {
      const base = { sample_id: sample.sample_id, question: q.question, category: q.category, evidence: q.evidence };
      try {
        const hybrid = await search(q.question, 'hybrid');
        const keyword = await search(q.question, 'keyword');
        const vector = await search(q.question, 'vector');
        const context = (
          await request(api, 'POST', `${aiPath}/context`, key, {
            messages: [{ role: 'user', content: q.question }],
          })
        ).body as ContextBody;
        asked += 1;
        if (asked % 50 === 0) opts.log(`  ${sample.sample_id}: ${asked}/${qa.length} questions`);
        return {
          ...base,
          hybrid: hybrid.results.map((h) => turnOf(h.memory)),
          keyword: keyword.results.map((h) => turnOf(h.memory)),
          vector: vector.results.map((h) => turnOf(h.memory)),
          context_used: context.memories_used.map((u) => diaOf.get(u.memory_id)).filter((x) => x !== undefined),
          context_memories: context.memories_used.length,
          context_tokens: context.tokens.memories,
          hybrid_ms: hybrid.ms,
        };
      } catch (err) {
        return {
          ...base,
          hybrid: [],
          keyword: [],
          vector: [],
          context_used: [],
          context_memories: 0,
          context_tokens: 0,
          hybrid_ms: NaN,
          error: message(err),
        };
      }
    });
  } catch (err) {
    run.error = `${run.ingest ? 'asking' : 'ingesting'}: ${message(err)}`;
  }
  if (!opts.keep && run.ai_uuid) {
    try {
      await request(api, 'DELETE', aiPath, adminToken);
    } catch (err) {
      opts.log(`  ${sample.sample_id}: could not delete AI ${run.ai_uuid}: ${message(err)}`);
    }
  }
  return run;
}
