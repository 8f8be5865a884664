/**
 * `npm run eval:tune [-- file]`: how the fusion and the context's relevance cut-off were chosen.
 * It builds each sample's index in this process (functions/src/search/memoryIndex.ts, the same
 * code the API runs, no Firestore), embeds every turn and question with the offline embedder once
 * (cached in artifacts/eval/vectors.json), and prints recall@10 per category for keyword alone,
 * vector alone and each fusion tried, then the relevance rules tried, with the tokens each injects.
 * It reads only the dev set (eval/generate-devset.ts): the held-out sets we don't have stay unseen.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Memory } from '@memory-weaver/protocol';
import { createLocalEmbedder } from '../functions/src/embeddings/local.js';
import { MemoryIndex, type IndexHit } from '../functions/src/search/memoryIndex.js';
import { FUSION, fuse, type FusionWeights, type Ranked } from '../functions/src/search/fusion.js';
import { relevantHits } from '../functions/src/chat/context.js';
import { estimateTokens } from '../functions/src/chat/tokens.js';
import { tokenize } from '../functions/src/search/keywords.js';
import { CATEGORIES, generateDevset, type DevSample } from './generate-devset.js';
import { memoriesOf } from './harness.js';

const file = process.argv[2];
const samples: DevSample[] = file ? (JSON.parse(readFileSync(file, 'utf8')) as DevSample[]) : generateDevset();
const embedder = createLocalEmbedder();
const CACHE = 'artifacts/eval/vectors.json';
const cache: Record<string, number[]> = existsSync(CACHE)
  ? (JSON.parse(readFileSync(CACHE, 'utf8')) as Record<string, number[]>)
  : {};
const keyOf = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

async function vectors(texts: string[]): Promise<number[][]> {
  const todo = [...new Set(texts.filter((t) => !cache[keyOf(t)]))];
  for (let i = 0; i < todo.length; i += 64) {
    const batch = todo.slice(i, i + 64);
    const made = await embedder.embed(batch);
    batch.forEach((t, j) => (cache[keyOf(t)] = (made[j] ?? []).map((x) => Math.round(x * 1e6) / 1e6)));
    process.stdout.write(`\rembedded ${String(Math.min(i + 64, todo.length))}/${String(todo.length)}`);
  }
  if (todo.length > 0) {
    mkdirSync('artifacts/eval', { recursive: true });
    writeFileSync(CACHE, JSON.stringify(cache));
    process.stdout.write('\n');
  }
  return texts.map((t) => cache[keyOf(t)] ?? []);
}

const ACTOR = { kind: 'admin' as const, id: 'tune' };
interface Question {
  text: string;
  category: string;
  evidence: Set<string>;
  keyword: IndexHit[];
  vector: IndexHit[];
  hybrid: IndexHit[];
}
const questions: Question[] = [];
for (const sample of samples) {
  const turns = memoriesOf(sample);
  const turnVectors = await vectors(turns.map((t) => t.content));
  const index = new MemoryIndex();
  turns.forEach((t, i) => {
    const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
    const memory: Memory = {
      memory_id: t.dia_id,
      memory_type: 'long_term_memory',
      content: t.content,
      metadata: t.metadata,
      created_at: at,
      updated_at: at,
      created_by: ACTOR,
      updated_by: ACTOR,
      source: 'tune',
      moved_from: null,
      moved_at: null,
    };
    index.upsert(memory, Float32Array.from(turnVectors[i] ?? []));
  });
  const qVectors = await vectors(sample.qa.map((q) => q.question));
  sample.qa.forEach((q, i) => {
    const base = { text: q.question, vector: qVectors[i] ?? [], tiers: ['long_term_memory' as const], limit: 200 };
    questions.push({
      text: q.question,
      category: q.category,
      evidence: new Set(q.evidence),
      keyword: index.search({ ...base, mode: 'keyword' }),
      vector: index.search({ ...base, mode: 'vector' }),
      hybrid: index.search({ ...base, mode: 'hybrid', limit: 10 }),
    });
  });
}

const recallAt = (ids: string[], evidence: Set<string>, k: number) =>
  ids.slice(0, k).filter((id) => evidence.has(id)).length / Math.max(1, evidence.size);
const ranked = (hits: IndexHit[], score: (h: IndexHit) => number): Ranked =>
  hits.map((h): [string, number] => [h.memory.memory_id, score(h)]);

function table(name: string, rank: (q: Question) => string[]): string {
  const cells = [...CATEGORIES, 'overall'].map((c) => {
    const qs = questions.filter((q) => c === 'overall' || q.category === c);
    const r = qs.reduce((s, q) => s + recallAt(rank(q), q.evidence, 10), 0) / Math.max(1, qs.length);
    return r.toFixed(3).padStart(11);
  });
  return `${name.padEnd(44)}${cells.join('')}`;
}

console.log(`${String(questions.length)} questions; recall@10`);
console.log(`${''.padEnd(44)}${[...CATEGORIES, 'overall'].map((c) => c.padStart(11)).join('')}`);
console.log(table('keyword (BM25)', (q) => q.keyword.map((h) => h.memory.memory_id)));
console.log(table('vector (cosine)', (q) => q.vector.map((h) => h.memory.memory_id)));
console.log(table('hybrid (the API)', (q) => q.hybrid.map((h) => h.memory.memory_id)));
// Reciprocal rank fusion around the shipped constants (FUSION in functions/src/search/fusion.ts).
const coverage = (q: Question): number => {
  const terms = new Set(tokenize(q.text));
  const top = q.keyword[0];
  const held = new Set(top ? tokenize(top.memory.content) : []);
  return terms.size === 0 ? 0 : [...terms].filter((t) => held.has(t)).length / terms.size;
};
const fused = (q: Question, weights: FusionWeights) =>
  fuse(
    ranked(q.keyword, (h) => h.keywordScore ?? 0),
    ranked(q.vector, (h) => h.vectorSimilarity ?? 0),
    coverage(q),
    weights,
  ).map(([id]) => id);
for (const minKeywordCoverage of [0, 0.3, 0.5, 0.6]) {
  for (const k of [2, 5, 20]) {
    for (const vectorWeight of [0.8, 1.5, 2, 2.5]) {
      for (const keywordFloor of [0, 0.3]) {
        const weights = { k, keywordWeight: 1, vectorWeight, keywordFloor, minKeywordCoverage };
        const shipped = JSON.stringify(weights) === JSON.stringify(FUSION) ? ' (shipped)' : '';
        const name = `rrf k=${String(k)} wv=${String(vectorWeight)} floor=${String(keywordFloor)} cov=${String(minKeywordCoverage)}`;
        console.log(table(`${name}${shipped}`, (q) => fused(q, weights)));
      }
    }
  }
}
// Score fusion: BM25 over the query's best BM25, plus cosine, weighted.
for (const a of [0.1, 0.2, 0.3, 0.5]) {
  console.log(
    table(`score a=${String(a)}·bm25/max + cos`, (q) => {
      const top = Math.max(1e-9, ...q.keyword.map((h) => h.keywordScore ?? 0));
      const score = new Map<string, number>();
      for (const h of q.vector) score.set(h.memory.memory_id, h.vectorSimilarity ?? 0);
      for (const h of q.keyword) {
        const id = h.memory.memory_id;
        score.set(id, (score.get(id) ?? 0) + (a * (h.keywordScore ?? 0)) / top);
      }
      return [...score].sort((x, y) => y[1] - x[1]).map(([id]) => id);
    }),
  );
}

// The context's relevance cut-off over the shipped hybrid top 10.
console.log('\ncontext cut-off over hybrid top 10: recall of the evidence kept, tokens injected (mean, p95)');
for (const rule of [
  { keywordShare: 0, vectorGap: 2, vectorFloor: -1 },
  { keywordShare: 0.5, vectorGap: 0.06, vectorFloor: 0.3 },
  { keywordShare: 0.3, vectorGap: 0.1, vectorFloor: 0.25 },
  { keywordShare: 0.7, vectorGap: 0.04, vectorFloor: 0.3 },
  { keywordShare: 0.3, vectorGap: 0.15, vectorFloor: 0.2 },
  { keywordShare: 0.2, vectorGap: 0.2, vectorFloor: 0.2 },
  { keywordShare: 0.3, vectorGap: 0.2, vectorFloor: 0.3 },
]) {
  const kept = questions.map((q) => relevantHits(q.hybrid, rule));
  const recall =
    questions.reduce(
      (s, q, i) =>
        s +
        recallAt(
          (kept[i] ?? []).map((h) => h.memory.memory_id),
          q.evidence,
          10,
        ),
      0,
    ) / questions.length;
  const tokens = kept
    .map((hits) => hits.reduce((s, h) => s + estimateTokens(h.memory.content) + 12, 0))
    .sort((a, b) => a - b);
  const mean = tokens.reduce((s, t) => s + t, 0) / Math.max(1, tokens.length);
  const p95 = tokens[Math.floor(tokens.length * 0.95)] ?? 0;
  console.log(
    `  ${JSON.stringify(rule).padEnd(60)} recall ${recall.toFixed(3)}  tokens ${mean.toFixed(0)} / ${String(p95)}`,
  );
}
process.exit(0);
