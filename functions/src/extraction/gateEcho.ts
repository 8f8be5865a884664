/**
 * @module extraction/gateEcho — does a candidate only restate a memory that was injected into the
 * exchange? Models asked "what is worth remembering" readily hand back what they were just told; an
 * echo stored again is a duplicate at best.
 *
 * A candidate echoes an injected memory when, over content words (gateWords.ts):
 *  - at least 85 % of the candidate's words appear in the memory *in the same order* (the longest
 *    common subsequence, not a bag of words, so "prefers tea over coffee" does not echo "prefers coffee
 *    over tea"), and
 *  - every word the candidate adds is neither a number nor a name (a new number or name is new
 *    information), and
 *  - both say "not", or neither does.
 * A changed value ("prefers tea" against "prefers coffee") is therefore not an echo: it is a supersede
 * candidate for the pipeline. When in doubt the answer is "not an echo": a missed echo still meets
 * the pipeline's dedup, a false one loses a fact.
 */
import { contentWords, type Word } from './gateWords.js';

export const ECHO_CONTAINMENT = 0.85;

export interface Echo {
  /** Index of the injected memory echoed. */
  index: number;
  containment: number;
}

/** The first injected memory the candidate only restates, or null. */
export function findEcho(candidate: string, injected: readonly string[]): Echo | null {
  const words = contentWords(candidate, { dropFraming: true });
  if (words.length === 0) return null;
  const negated = words.some((w) => w.term === 'not');
  for (const [index, memory] of injected.entries()) {
    const memoryWords = contentWords(memory, { dropFraming: true });
    if (memoryWords.some((w) => w.term === 'not') !== negated) continue;
    const terms = new Set(memoryWords.map((w) => w.term));
    if (words.some((w) => !terms.has(w.term) && (w.numeric || w.capitalised))) continue;
    const containment = commonSubsequence(words, memoryWords) / words.length;
    if (containment >= ECHO_CONTAINMENT) return { index, containment };
  }
  return null;
}

/** Length of the longest common subsequence of two word lists (facts are short: O(n·m) is nothing). */
function commonSubsequence(a: readonly Word[], b: readonly Word[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const wa of a) {
    const row = [0];
    for (const [j, wb] of b.entries()) {
      row.push(
        wa.term === wb.term ? (previous[j] as number) + 1 : Math.max(previous[j + 1] as number, row[j] as number),
      );
    }
    previous = row;
  }
  return previous[b.length] as number;
}
