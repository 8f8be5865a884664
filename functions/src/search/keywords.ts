/**
 * @module search/keywords — keyword matching, which Firestore doesn't do. Each memory stores its
 * distinct terms (`terms`), so candidates that share a query term can be fetched with one
 * `array-contains-any` query; BM25 then ranks them here.
 */
const STOPWORDS = new Set(
  'a an and are as at be but by do does did for from has have had he her his i if in into is it its me my no not of on or our she so than that the their them then there these they this to up us was we were what when where which who whom why will with you your about can could would should just also very'.split(
    ' ',
  ),
);
/** Firestore's `array-contains-any` takes at most 30 values. */
export const MAX_QUERY_TERMS = 30;
const MAX_STORED_TERMS = 200;

/** Lower-case word stems without stopwords, in order of appearance. */
export function tokenize(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  )
    .filter((w) => w.length > 1 && !STOPWORDS.has(w))
    .map(stem);
}

/** A light suffix stripper: enough for "likes"/"liked"/"liking" to meet. */
function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

export const storedTerms = (text: string): string[] => [...new Set(tokenize(text))].slice(0, MAX_STORED_TERMS);

/** The query's most distinctive terms (longest first), for the candidate query. */
export function queryTerms(text: string): string[] {
  return [...new Set(tokenize(text))].sort((a, b) => b.length - a.length).slice(0, MAX_QUERY_TERMS);
}

/**
 * BM25 of each document against the query, with document frequencies taken from the candidate
 * set (the whole collection's are unknown here): good for ranking candidates, not as an absolute.
 */
export function bm25(query: string[], docs: string[][], k1 = 1.2, b = 0.75): number[] {
  const n = docs.length;
  if (n === 0 || query.length === 0) return docs.map(() => 0);
  const avgLen = docs.reduce((s, d) => s + d.length, 0) / n || 1;
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const qTerms = [...new Set(query)];
  return docs.map((d) => {
    const tf = new Map<string, number>();
    for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
    let score = 0;
    for (const t of qTerms) {
      const f = tf.get(t) ?? 0;
      if (f === 0) continue;
      const idf = Math.log(1 + (n - (df.get(t) ?? 0) + 0.5) / ((df.get(t) ?? 0) + 0.5));
      score += idf * ((f * (k1 + 1)) / (f + k1 * (1 - b + (b * d.length) / avgLen)));
    }
    return score;
  });
}
