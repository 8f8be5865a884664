/**
 * @module search/fusion — how the keyword and vector rankings become one.
 *
 * Weighted reciprocal rank fusion: a memory scores `w / (k + rank)` in each list it is in. Ranks,
 * not raw scores: BM25 and cosine similarity share no scale (a score blend did worse on the dev
 * set). Keyword hits weaker than `keywordFloor` of the query's best BM25 don't vote: they share
 * only a common word (a speaker's name, "going") and pushed real matches out of the top 10.
 *
 * Chosen on the dev set with `npm run eval:tune` (eval/README.md), for the offline embedder:
 * recall@10 overall 0.461 against BM25 alone 0.324 and vectors alone 0.410. The earlier
 * constants (k 20, weights 1 / 0.8, no floor) gave 0.334. A stronger embedder (OpenAI's) likely
 * wants the vector weight higher still: rerun the tuning with it before changing embedders.
 */

/** Memory ids with their score, best first. */
export type Ranked = [string, number][];

export interface FusionWeights {
  /** Larger k flattens the rank curve (deep ranks count more). */
  k: number;
  keywordWeight: number;
  vectorWeight: number;
  /** Keyword hits below this share of the best BM25 are left out of the fusion. */
  keywordFloor: number;
}

export const FUSION: FusionWeights = { k: 5, keywordWeight: 1, vectorWeight: 2, keywordFloor: 0.3 };

export function fuse(keyword: Ranked, vector: Ranked, weights: FusionWeights = FUSION): Ranked {
  const scores = new Map<string, number>();
  const add = (list: Ranked, weight: number) => {
    list.forEach(([id], i) => scores.set(id, (scores.get(id) ?? 0) + weight / (weights.k + i + 1)));
  };
  const best = keyword[0]?.[1] ?? 0;
  add(
    keyword.filter(([, score]) => score >= weights.keywordFloor * best),
    weights.keywordWeight,
  );
  add(vector, weights.vectorWeight);
  return [...scores].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
