/**
 * @module eval/extraction/run — the extraction fixture through the real API on the emulators:
 * `npm run eval:extraction [-- --conversations N --concurrency N --seed N --keep]`.
 *
 * Generates the fixture (generate.ts), runs each conversation as its own AI (harness.ts), prints a
 * table per conversation and in all, and writes every figure with what went wrong to
 * artifacts/eval/extraction-results.json. The model is the stand-in's rule table: this measures
 * the pipeline after the model (gate, dedup, supersede, secrets), not a model's judgement.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { adminIdToken } from '../../tests/support/emulators.js';
import { DEFAULT_SEED, generateFixture } from './generate.js';
import { forget, pct, runConversation, score, total, type ConversationRun, type Score } from './harness.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} wants a whole number ≥ 1`);
  return n;
}

const seed = arg('--seed', DEFAULT_SEED);
const fixture = generateFixture(seed).slice(0, arg('--conversations', 20));
const concurrency = arg('--concurrency', 4);
const keep = process.argv.includes('--keep');

const started = performance.now();
const runs: ConversationRun[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < fixture.length) {
      const c = fixture[next++];
      if (!c) break;
      runs.push(await runConversation(c));
      process.stderr.write('.');
    }
  }),
);
process.stderr.write('\n');
runs.sort((a, b) => fixture.indexOf(a.conversation) - fixture.indexOf(b.conversation));
const scores = runs.map(score);
const all = total(scores);

const row = (id: string, policy: string, exchanges: number | string, s: Score) =>
  [
    id.padEnd(16),
    policy.padEnd(7),
    String(exchanges).padStart(5),
    `${s.correct}/${s.stored}`.padStart(8),
    pct(s.correct, s.stored).padStart(8),
    `${s.found}/${s.expected}`.padStart(8),
    pct(s.found, s.expected).padStart(8),
    pct(s.duplicates, s.stored).padStart(8),
    `${s.changesCorrect}/${s.changes}`.padStart(8),
    String(s.secretsStored).padStart(8),
    String(s.jobsFailed).padStart(7),
  ].join('  ');
const header = [
  'conversation'.padEnd(16),
  'policy'.padEnd(7),
  'turns'.padStart(5),
  'correct'.padStart(8),
  'precis.'.padStart(8),
  'found'.padStart(8),
  'recall'.padStart(8),
  'dup rate'.padStart(8),
  'supers.'.padStart(8),
  'secrets'.padStart(8),
  'failed'.padStart(7),
].join('  ');

const exchanges = runs.reduce((a, r) => a + r.exchanges, 0);
const rejected: Record<string, number> = {};
for (const r of runs) for (const [k, n] of Object.entries(r.rejectedByReason)) rejected[k] = (rejected[k] ?? 0) + n;
const lines = [
  `## Extraction fixture (seed ${seed}): ${fixture.length} conversations, ${exchanges} exchanges through /v1/chat/completions (official openai client, Functions emulator)`,
  '  The model is the stand-in (tests/fake-llm/extraction.mjs), a rule table scripted per AI, not a model:',
  '  this measures the pipeline after the model (quality gate, dedup, supersede, secrets, personal-data policy),',
  "  not a model's judgement of what is worth keeping.",
  '',
  header,
  ...runs.map((r, i) => row(r.conversation.id, r.conversation.personal_data, r.exchanges, scores[i] as Score)),
  row('all', '', exchanges, all),
  '',
  `  precision ${pct(all.correct, all.stored)}, recall ${pct(all.found, all.expected)}, duplicate rate ${pct(all.duplicates, all.stored)}, ` +
    `superseded correctly ${pct(all.changesCorrect, all.changes)} (${all.changesCorrect}/${all.changes}), secrets stored ${all.secretsStored}, jobs failed ${all.jobsFailed}`,
  `  rejected by the gate, by reason: ${Object.entries(rejected)
    .sort()
    .map(([k, n]) => `${k} ${n}`)
    .join(', ')}`,
  ...(all.unexpected.length ? ['  stored but not expected:', ...all.unexpected.map((s) => `    ${s}`)] : []),
  ...(all.missing.length ? ['  expected but missing:', ...all.missing.map((s) => `    ${s}`)] : []),
  ...(all.unlinked.length ? ['  changes not superseded as expected:', ...all.unlinked.map((s) => `    ${s}`)] : []),
  `  took ${((performance.now() - started) / 1000).toFixed(0)} s with ${concurrency} conversations in flight`,
];
console.log(lines.join('\n'));
mkdirSync('artifacts/eval', { recursive: true });
writeFileSync(
  'artifacts/eval/extraction-results.json',
  `${JSON.stringify(
    {
      seed,
      totals: all,
      conversations: runs.map((r, i) => ({
        id: r.conversation.id,
        ai_uuid: r.ai.ai_uuid,
        score: scores[i],
        rejected_by_reason: r.rejectedByReason,
        long_term: r.memories.long_term_memory.map((m) => m.content),
        archive: r.memories.archive.map((m) => ({ content: m.content, superseded_by: m.superseded_by ?? null })),
      })),
    },
    null,
    2,
  )}\n`,
);
console.log('  every figure: artifacts/eval/extraction-results.json');
if (!keep) {
  const token = await adminIdToken();
  for (const r of runs) await forget(r.ai, token);
}
process.exit(0);
