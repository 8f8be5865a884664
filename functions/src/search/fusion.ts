/**
 * @module search/fusion — how the keyword and vector rankings become one.
 *
 * Weighted reciprocal rank fusion: a memory scores `w / (k + rank)` in each list it is in. Ranks,
 * not raw scores: BM25 and cosine similarity share no scale (a score blend did worse on the dev
 * set). Keyword hits weaker than `keywordFloor` of the query's best BM25 don't vote: they share
 * only a common word (a speaker's name, "going") and pushed real matches out of the top 10. And
 * when even the best keyword hit holds under half of the query's terms, keywords don't vote at all
 * (a paraphrased question: any word match is noise there).
 *
 * Chosen on the dev set with `npm run eval:tune` (eval/README.md), for the offline embedder:
 * recall@10 overall 0.471 against BM25 alone 0.324 and vectors alone 0.410. The earlier
 * constants (k 20, weights 1 / 0.8, no floor, no coverage rule) gave 0.334. A stronger embedder (OpenAI's) likely
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
  /**
   * The keyword ranking votes only when its best hit holds at least this share of the query's
   * distinct terms: below it, the words found a name or a common word, not the topic.
   */
  minKeywordCoverage: number;
}

export const FUSION: FusionWeights = {
  k: 5,
  keywordWeight: 1,
  vectorWeight: 2,
  keywordFloor: 0.3,
  minKeywordCoverage: 0.5,
};

/** `keywordCoverage`: the share of the query's distinct terms that the best keyword hit holds. */
export function fuse(
  keyword: Ranked,
  vector: Ranked,
  keywordCoverage: number,
  weights: FusionWeights = FUSION,
): Ranked {
  const scores = new Map<string, number>();
  const add = (list: Ranked, weight: number) => {
    list.forEach(([id], i) => scores.set(id, (scores.get(id) ?? 0) + weight / (weights.k + i + 1)));
  };
  const best = keyword[0]?.[1] ?? 0;
  if (keywordCoverage >= weights.minKeywordCoverage) {
    add(
      keyword.filter(([, score]) => score >= weights.keywordFloor * best),
      weights.keywordWeight,
    );
  }
  add(vector, weights.vectorWeight);
  return [...scores].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
