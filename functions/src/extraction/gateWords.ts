/**
 * @module extraction/gateWords — the words the gate counts and compares: lower-cased, accent-folded,
 * lightly stemmed, without stopwords. Unlike search/keywords.ts (which drops "not" and "no" because
 * they don't help ranking) negations are kept and spelled `not`: "does not like coffee" must never
 * look like a restatement of "likes coffee".
 */
// The same light suffix stripper as search: words the gate compares meet as search's do.
import { stem } from '../search/keywords.js';

const STOPWORDS = new Set(
  `a an and are as at be been being but by do does did doing for from has have had having he her hers him his i if in
  into is it its me my of on or our ours she so than that the their theirs them then there these they this those to
  up us was we were what when where which who whom why will with you your yours about can could would should just
  also very am shall may might must own same such too s t d ll m re ve`.split(/\s+/),
);

/** Words that frame a fact about the user without saying anything: "The user's …", "This person …". */
const FRAMING = new Set(['user', 'person', 'individual', 'human']);

const NEGATIONS = new Set(['not', 'no', 'never', 'nor', 'neither', 'none', 'nothing', 'without', 'cannot']);

export interface Word {
  /** The normalised stem. */
  term: string;
  /** Written with a capital letter: likely a name. */
  capitalised: boolean;
  /** A numeral or a number word. */
  numeric: boolean;
}

const NUMBER_WORDS = new Set(
  `zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
  eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion dozen
  first second third fourth fifth sixth seventh eighth ninth tenth half twice once`.split(/\s+/),
);

/** Every word of the text, stopwords included, as written (for counting). */
export function rawWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
}

/** The content words of a text in order: stopwords dropped, negations kept as `not`, framing kept unless asked. */
export function contentWords(text: string, { dropFraming = false } = {}): Word[] {
  const words: Word[] = [];
  for (const raw of text.replace(/n['’]t\b/gi, ' not').match(/[\p{L}\p{N}]+/gu) ?? []) {
    const lower = raw.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
    if (NEGATIONS.has(lower)) {
      words.push({ term: 'not', capitalised: false, numeric: false });
      continue;
    }
    if (STOPWORDS.has(lower) || (dropFraming && FRAMING.has(stem(lower)))) continue;
    words.push({
      term: stem(lower),
      capitalised: /^\p{Lu}/u.test(raw),
      numeric: /\d/.test(lower) || NUMBER_WORDS.has(lower),
    });
  }
  return words;
}
