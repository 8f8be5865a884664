/**
 * @module search/fusion — how the keyword and vector rankings become one.
 *
 * Weighted reciprocal rank fusion: a memory scores `w / (k + rank)` in each list it is in. Ranks,
 * not raw scores: BM25 and cosine similarity share no scale, and on the offline embedder a blend
 * of raw scores did worse than keywords alone (DESIGN.md). The constants were chosen on the dev
 * set (eval/README.md), not guessed: see the note beside them.
 */

/** Memory ids with their score, best first. */
export type Ranked = [string, number][];

export const FUSION = {
  /** Larger k flattens the rank curve (deep ranks count more). */
  k: 20,
  keywordWeight: 1,
  vectorWeight: 0.8,
};

export function fuse(keyword: Ranked, vector: Ranked, weights = FUSION): Ranked {
  const scores = new Map<string, number>();
  const add = (list: Ranked, weight: number) => {
    list.forEach(([id], i) => scores.set(id, (scores.get(id) ?? 0) + weight / (weights.k + i + 1)));
  };
  add(keyword, weights.keywordWeight);
  add(vector, weights.vectorWeight);
  return [...scores].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
