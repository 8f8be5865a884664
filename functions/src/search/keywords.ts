/**
 * @module search/keywords — the words a text is matched by (Firestore has no full-text search):
 * lower-cased, accent-folded stems without stopwords. The index (memoryIndex.ts) ranks them with BM25.
 */
const STOPWORDS = new Set(
  'a an and are as at be but by do does did for from has have had he her his i if in into is it its me my no not of on or our she so than that the their them then there these they this to up us was we were what when where which who whom why will with you your about can could would should just also very'.split(
    ' ',
  ),
);
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
export function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}
