/**
 * @module eval/metrics — the figures the harness reports, as pure functions (tested in
 * tests/eval/harness.test.ts).
 *
 * - recall@k: the share of a question's evidence turns found among the first k results
 *   (duplicates of one turn count once);
 * - hit@k: 1 when at least one evidence turn is among the first k, else 0;
 * - context recall: the share of evidence turns among the memories the context would inject.
 * Averages are over questions (each question weighs the same, however much evidence it has).
 */
import type { Category } from './generate-devset.js';

export const RECALL_KS = [1, 5, 10, 20] as const;
export const HIT_KS = [10, 20] as const;

/** Share of `evidence` found in the first k of `ranked` (dia_ids, best first). */
export function recallAt(ranked: readonly string[], evidence: readonly string[], k: number): number {
  const wanted = new Set(evidence);
  if (wanted.size === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  let found = 0;
  for (const id of wanted) if (top.has(id)) found += 1;
  return found / wanted.size;
}

export function hitAt(ranked: readonly string[], evidence: readonly string[], k: number): number {
  const top = new Set(ranked.slice(0, k));
  return evidence.some((id) => top.has(id)) ? 1 : 0;
}

/** Share of `evidence` among the turns a context used (order doesn't matter there). */
export function setRecall(used: readonly string[], evidence: readonly string[]): number {
  return recallAt(used, evidence, used.length);
}

/** Nearest-rank percentile of unsorted values (NaN for none). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? NaN;
}

export const mean = (values: readonly number[]): number =>
  values.length === 0 ? NaN : values.reduce((s, v) => s + v, 0) / values.length;

/** What one question measured. Rankings are dia_ids, best first. */
export interface QuestionResult {
  sample_id: string;
  question: string;
  category: Category;
  evidence: string[];
  hybrid: string[];
  keyword: string[];
  vector: string[];
  /** dia_ids of the memories the context would inject. */
  context_used: string[];
  /** memories_used of the context, all of them (also those that aren't turns of this sample). */
  context_memories: number;
  context_tokens: number;
  /** Time of the hybrid search request, ms. */
  hybrid_ms: number;
  /** Set when a request of this question failed for good; the rankings are then empty. */
  error?: string;
}

export interface Summary {
  n: number;
  recall: Record<`@${(typeof RECALL_KS)[number]}`, number>;
  hit: Record<`@${(typeof HIT_KS)[number]}`, number>;
  keyword_recall_10: number;
  vector_recall_10: number;
  context_recall: number;
  context_tokens_mean: number;
  context_tokens_p95: number;
  context_memories_mean: number;
  hybrid_ms_p50: number;
  hybrid_ms_p95: number;
}

/** Averages over the questions given (failed questions are left out and counted apart). */
export function summarise(results: readonly QuestionResult[]): Summary {
  const ok = results.filter((r) => r.error === undefined);
  const avg = (f: (r: QuestionResult) => number) => mean(ok.map(f));
  return {
    n: ok.length,
    recall: {
      '@1': avg((r) => recallAt(r.hybrid, r.evidence, 1)),
      '@5': avg((r) => recallAt(r.hybrid, r.evidence, 5)),
      '@10': avg((r) => recallAt(r.hybrid, r.evidence, 10)),
      '@20': avg((r) => recallAt(r.hybrid, r.evidence, 20)),
    },
    hit: {
      '@10': avg((r) => hitAt(r.hybrid, r.evidence, 10)),
      '@20': avg((r) => hitAt(r.hybrid, r.evidence, 20)),
    },
    keyword_recall_10: avg((r) => recallAt(r.keyword, r.evidence, 10)),
    vector_recall_10: avg((r) => recallAt(r.vector, r.evidence, 10)),
    context_recall: avg((r) => setRecall(r.context_used, r.evidence)),
    context_tokens_mean: avg((r) => r.context_tokens),
    context_tokens_p95: percentile(
      ok.map((r) => r.context_tokens),
      95,
    ),
    context_memories_mean: avg((r) => r.context_memories),
    hybrid_ms_p50: percentile(
      ok.map((r) => r.hybrid_ms),
      50,
    ),
    hybrid_ms_p95: percentile(
      ok.map((r) => r.hybrid_ms),
      95,
    ),
  };
}

/** Summaries per category (in `categories` order) and overall. */
export function summariseByCategory(
  results: readonly QuestionResult[],
  categories: readonly Category[],
): { category: Category | 'overall'; summary: Summary }[] {
  return [
    ...categories.map((category) => ({
      category,
      summary: summarise(results.filter((r) => r.category === category)),
    })),
    { category: 'overall' as const, summary: summarise(results) },
  ];
}

const fixed = (x: number, digits = 3) => (Number.isNaN(x) ? '–' : x.toFixed(digits));

/** The printed table: one row per category and overall. */
export function formatTable(rows: { category: string; summary: Summary }[]): string {
  const head = [
    'category',
    'n',
    'R@1',
    'R@5',
    'R@10',
    'R@20',
    'hit@10',
    'hit@20',
    'kw R@10',
    'vec R@10',
    'ctx recall',
    'ctx tok mean',
    'ctx tok p95',
    'search p50 ms',
    'search p95 ms',
  ];
  const lines = rows.map(({ category, summary: s }) => [
    category,
    String(s.n),
    fixed(s.recall['@1']),
    fixed(s.recall['@5']),
    fixed(s.recall['@10']),
    fixed(s.recall['@20']),
    fixed(s.hit['@10']),
    fixed(s.hit['@20']),
    fixed(s.keyword_recall_10),
    fixed(s.vector_recall_10),
    fixed(s.context_recall),
    fixed(s.context_tokens_mean, 0),
    fixed(s.context_tokens_p95, 0),
    fixed(s.hybrid_ms_p50, 0),
    fixed(s.hybrid_ms_p95, 0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const row = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [row(head), row(widths.map((w) => '-'.repeat(w))), ...lines.map(row)].join('\n');
}
