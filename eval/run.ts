/**
 * @module eval/run — the retrieval evaluation: `npm run eval -- [devset.json] [flags]`.
 *
 * Without a file it generates the dev set (eval/generate-devset.ts) to artifacts/eval/devset.json
 * and runs that. Each sample becomes one AI; each turn one memory; each question is asked through
 * `POST /v1/ais/{ai}/search` in the modes hybrid, keyword and vector (limit 20) and through
 * `POST /v1/ais/{ai}/context`. Prints a table per category and overall and writes every figure,
 * with each question's rankings, to artifacts/eval/results.json. See eval/README.md.
 *
 * Flags: --url <base> (default $API_BASE_URL or http://127.0.0.1:5000), --tier <memory_type>
 * (long_term_memory), --samples N, --questions N (per sample), --concurrency N (ingest requests
 * in flight, 8), --question-concurrency N (questions in flight, 2), --with-date (prefix memories
 * with their session's date), --keep (keep the AIs), --token <admin ID token> (default: a new
 * administrator on the Auth emulator), --seed N (for the generated set), --out <results.json>.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CATEGORIES, DEFAULT_SEED, describeDevset, generateDevset, type DevSample } from './generate-devset.js';
import {
  apiClient,
  emulatorAdminToken,
  MEMORY_TYPES,
  runSample,
  SEARCH_LIMIT,
  type MemoryType,
  type SampleRun,
} from './harness.js';
import { formatTable, percentile, summariseByCategory } from './metrics.js';

interface Args {
  file: string | undefined;
  url: string;
  tier: MemoryType;
  samples: number | undefined;
  questions: number | undefined;
  concurrency: number;
  questionConcurrency: number;
  withDate: boolean;
  keep: boolean;
  token: string | undefined;
  seed: number;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    file: undefined,
    url: process.env.API_BASE_URL ?? 'http://127.0.0.1:5000',
    tier: 'long_term_memory',
    samples: undefined,
    questions: undefined,
    concurrency: 8,
    questionConcurrency: 2,
    withDate: false,
    keep: false,
    token: process.env.MW_ADMIN_TOKEN,
    seed: DEFAULT_SEED,
    out: 'artifacts/eval/results.json',
  };
  const positive = (flag: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} wants a whole number ≥ 1, got ${v ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = () => argv[++i];
    if (a === '--url') args.url = next() ?? args.url;
    else if (a === '--tier') {
      const t = next();
      if (!MEMORY_TYPES.includes(t as MemoryType)) throw new Error(`--tier must be one of ${MEMORY_TYPES.join(', ')}`);
      args.tier = t as MemoryType;
    } else if (a === '--samples') args.samples = positive(a, next());
    else if (a === '--questions') args.questions = positive(a, next());
    else if (a === '--concurrency') args.concurrency = positive(a, next());
    else if (a === '--question-concurrency') args.questionConcurrency = positive(a, next());
    else if (a === '--with-date') args.withDate = true;
    else if (a === '--keep') args.keep = true;
    else if (a === '--token') args.token = next();
    else if (a === '--seed') args.seed = Number(next());
    else if (a === '--out') args.out = next() ?? args.out;
    else if (a.startsWith('--')) throw new Error(`unknown flag ${a}`);
    else args.file = a;
  }
  return args;
}

function loadDevset(args: Args): { file: string; samples: DevSample[] } {
  if (args.file) return { file: args.file, samples: JSON.parse(readFileSync(args.file, 'utf8')) as DevSample[] };
  const file = 'artifacts/eval/devset.json';
  const samples = generateDevset({ seed: args.seed });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(samples, null, 1)}\n`);
  return { file, samples };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const devset = loadDevset(args);
  const samples = args.samples === undefined ? devset.samples : devset.samples.slice(0, args.samples);
  const d = describeDevset(samples);
  console.log(
    `eval: ${devset.file}: ${samples.length} conversations, ${d.samples.reduce((n, s) => n + s.turns, 0)} turns, ` +
      `${args.questions === undefined ? d.questions : `first ${args.questions} per sample of ${d.questions}`} questions; ` +
      `API ${args.url}, tier ${args.tier}, ${args.concurrency} ingest requests in flight`,
  );

  const api = apiClient(args.url);
  const health = await fetch(`${api.baseUrl}/v1/healthz`).catch(() => null);
  if (!health?.ok) throw new Error(`no API at ${api.baseUrl} (GET /v1/healthz failed)`);
  const token = args.token ?? (await emulatorAdminToken());

  const runs: SampleRun[] = [];
  for (const sample of samples) {
    const run = await runSample(api, token, sample, {
      tier: args.tier,
      ingestConcurrency: args.concurrency,
      questionConcurrency: args.questionConcurrency,
      questions: args.questions,
      withDate: args.withDate,
      keep: args.keep,
      log: (line) => {
        console.log(line);
      },
    });
    if (run.error) console.log(`  ${sample.sample_id}: FAILED: ${run.error}`);
    runs.push(run);
  }

  const questions = runs.flatMap((r) => r.questions);
  const failedQuestions = questions.filter((q) => q.error !== undefined);
  const rows = summariseByCategory(questions, CATEGORIES);
  const ingested = runs.flatMap((r) => (r.ingest ? [r.ingest] : []));
  const memories = ingested.reduce((n, x) => n + x.memories, 0);
  const ingestSeconds = ingested.reduce((n, x) => n + x.seconds, 0);
  const seconds = (performance.now() - started) / 1000;
  const overall = rows[rows.length - 1]?.summary;

  console.log(
    `\nRetrieval on ${questions.length - failedQuestions.length} questions (hybrid unless named; search limit ${SEARCH_LIMIT})\n`,
  );
  console.log(formatTable(rows));
  console.log('');
  console.log(
    `ingest: ${memories} memories in ${ingestSeconds.toFixed(1)} s = ${(memories / ingestSeconds).toFixed(1)} memories/s ` +
      `(${args.concurrency} in flight; per sample ${ingested.map((x) => x.rate.toFixed(1)).join(', ')})`,
  );
  if (overall) {
    console.log(
      `hybrid search latency: p50 ${overall.hybrid_ms_p50.toFixed(0)} ms, p95 ${overall.hybrid_ms_p95.toFixed(0)} ms ` +
        `(${args.questionConcurrency} questions in flight)`,
    );
    console.log(
      `context: ${overall.context_tokens_mean.toFixed(0)} memory tokens mean, p95 ${overall.context_tokens_p95.toFixed(0)}; ` +
        `${overall.context_memories_mean.toFixed(1)} memories used on average; recall ${overall.context_recall.toFixed(3)}`,
    );
  }
  const failedSamples = runs.filter((r) => r.error);
  console.log(
    `failures: ${failedSamples.length} samples${failedSamples.map((r) => ` (${r.sample_id}: ${r.error ?? ''})`).join('')}, ` +
      `${failedQuestions.length} questions; ${api.retries} retried requests (429/503/network)`,
  );
  for (const q of failedQuestions.slice(0, 5)) console.log(`  ${q.sample_id} "${q.question}": ${q.error ?? ''}`);
  console.log(`took ${(seconds / 60).toFixed(1)} min; results in ${args.out}`);

  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(
    args.out,
    `${JSON.stringify(
      {
        generated_at: new Date().toISOString(),
        devset: devset.file,
        api: args.url,
        options: {
          tier: args.tier,
          samples: samples.length,
          questions_per_sample: args.questions ?? null,
          ingest_concurrency: args.concurrency,
          question_concurrency: args.questionConcurrency,
          with_date: args.withDate,
          search_limit: SEARCH_LIMIT,
        },
        duration_seconds: seconds,
        ingest: {
          memories,
          seconds: ingestSeconds,
          memories_per_second: memories / ingestSeconds,
          per_sample: runs.map((r) => ({ sample_id: r.sample_id, ...r.ingest })),
        },
        search_latency_ms: {
          hybrid_p50: percentile(
            questions.filter((q) => !q.error).map((q) => q.hybrid_ms),
            50,
          ),
          hybrid_p95: percentile(
            questions.filter((q) => !q.error).map((q) => q.hybrid_ms),
            95,
          ),
        },
        summary: rows,
        failures: {
          samples: failedSamples.map((r) => ({ sample_id: r.sample_id, error: r.error })),
          questions: failedQuestions.length,
          retried_requests: api.retries,
        },
        questions,
      },
      null,
      1,
    )}\n`,
  );
  return failedSamples.length === samples.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`eval: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
