/**
 * @module consolidation/summaries/pinned — the facts a summary must not lose, found in code: names
 * (capitalised words), numbers, dates and times, and decision phrases, each with a normalised key
 * so that "42,000" meets "42000", "14 March 2026" meets "2026-03-14" and "3" meets "three".
 *
 * Sensible rather than complete: a false "dropped" keeps an older summary in force (the turns after
 * it still reach the model raw), while a missed fact is lost for good, so the rules lean towards
 * pinning what a person would call a fact and away from the filler that surrounds it (sentence
 * openers such as "Thanks", "Sure", "The"; see COMMON).
 */
import { tokenize } from '../../search/keywords.js';

export type PinnedKind = 'name' | 'number' | 'date' | 'decision';

export interface Pinned {
  kind: PinnedKind;
  /** As first written, for the report. */
  text: string;
  /** Names, numbers, dates: the keys any of which in a summary keeps the fact. Decisions: their content words. */
  keys: string[];
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_ABBR = MONTHS.map((m) => m.slice(0, 3));
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const MONTH = `(?:${MONTHS.join('|')}|${MONTH_ABBR.filter((m) => m !== 'may').join('|')})\\.?`;
const ORD = '(?:st|nd|rd|th)?';

const NUMBER_WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
  dozen: 12,
};

/**
 * Capitalised words that are not names: sentence openers, pronouns, greetings, the words a summary
 * frames facts with. Months and weekdays are dates, found before names.
 */
const COMMON = new Set(
  `a an the this that these those there here it its i i'm i've i'll i'd me my mine we we're we've we'll our you you're
  your yours he she his her they them their he's she's it's let's that's what's there's who what when where why how
  which whose is are was were be been am do does did done have has had can could would should will shall may might must
  and or but so if then than because since also too yet still just only even both either neither not no nor yes yeah
  yep ok okay sure right fine great good nice cool thanks thank thankyou please sorry hello hi hey dear well oh ah
  hmm wow alright actually anyway besides however instead meanwhile otherwise also maybe perhaps probably
  really basically honestly frankly also all any some each every many much more most few other another such same
  one first second next last then now today tomorrow yesterday tonight soon later again always never sometimes
  often usually once after before during while until about above below between into onto over under with without
  for from of on in at to by as up down out off via per tell give show make let help find get take keep remember
  note summary summarise summarize user users assistant assistants person people someone something everyone
  everything nothing nobody note please can't don't won't isn't aren't wasn't weren't didn't doesn't haven't
  hasn't couldn't wouldn't shouldn't agreed decided booked confirmed chose picked settled going go use using
  new old big small very quite`.split(/\s+/),
);

const DECISION_CUE =
  /\b(?:decided|decide|decision|agreed|agree on|chose|chosen|choose|going with|go with|settled on|booked|confirmed|will use|opted|picked)\b/i;

/** Every fact of `text` worth pinning; `decisionsOnly` for the AI's own answers (see below). */
export function pinnedFacts(text: string, { decisionsOnly = false } = {}): Pinned[] {
  const out: Pinned[] = [];
  for (const sentence of sentences(text)) {
    const cue = DECISION_CUE.exec(sentence);
    if (cue) {
      const phrase = sentence
        .slice(cue.index)
        .trim()
        .replace(/[.!?;:]+$/, '');
      // The cue itself ("decided") is how it was said, not what was decided: a summary may say "chose".
      const words = [...new Set(tokenize(phrase.slice(cue[0].length)))];
      if (words.length > 1) out.push({ kind: 'decision', text: phrase.slice(0, 200), keys: words });
    }
  }
  // The AI's own answers are mostly its filler and suggestions: only what they record as decided
  // is pinned from them. What the user accepts comes back in the user's words.
  if (decisionsOnly) return dedupe(out);
  let rest = text;
  const mask = (m: RegExpExecArray) => {
    rest = rest.slice(0, m.index) + ' '.repeat(m[0].length) + rest.slice(m.index + m[0].length);
  };
  for (const d of datesIn(text)) {
    out.push({ kind: 'date', text: d.text, keys: d.pinKeys });
    mask(d.match);
  }
  for (const n of numbersIn(rest)) out.push({ kind: 'number', text: n.text, keys: [n.key] });
  for (const name of namesIn(rest)) out.push({ kind: 'name', text: name, keys: [name.toLowerCase()] });
  return dedupe(out);
}

function dedupe(items: Pinned[]): Pinned[] {
  const seen = new Set<string>();
  return items.filter((p) => {
    const id = `${p.kind}:${p.keys.join(' ')}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export const sentences = (text: string): string[] =>
  text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

interface FoundDate {
  text: string;
  match: RegExpExecArray;
  /** Keys that keep this date (with a year: the full date; without: month and day). */
  pinKeys: string[];
  /** Every key this date answers to in a summary (a full date also answers for its month and day). */
  allKeys: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');
const monthOf = (name: string): number => {
  const m = name.toLowerCase().replace('.', '').slice(0, 3);
  return MONTH_ABBR.indexOf(m) + 1;
};
const fullYear = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));

function dayKeys(year: number | null, month: number, day: number): { pin: string[]; all: string[] } {
  if (month < 1 || month > 12 || day < 1 || day > 31) return { pin: [], all: [] };
  const md = `--${pad(month)}-${pad(day)}`;
  const full = year === null ? null : `${year}-${pad(month)}-${pad(day)}`;
  return { pin: [full ?? md], all: [...(full ? [full] : []), md, `m:${pad(month)}`] };
}

/** Dates and times, in the formats people write them; overlapping matches keep the first, longest. */
export function datesIn(text: string): FoundDate[] {
  const found: FoundDate[] = [];
  const taken: [number, number][] = [];
  const add = (re: RegExp, keys: (m: RegExpExecArray) => { pin: string[]; all: string[] }) => {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      const k = keys(m);
      if (k.pin.length === 0) continue;
      taken.push([start, end]);
      found.push({ text: m[0].trim(), match: m, pinKeys: k.pin, allKeys: k.all });
    }
  };
  add(/\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g, (m) => dayKeys(Number(m[1]), Number(m[2]), Number(m[3])));
  add(new RegExp(`\\b(\\d{1,2})${ORD}(?:\\s+of)?\\s+(${MONTH})(?:,?\\s+(\\d{4}))?\\b`, 'gi'), (m) =>
    dayKeys(m[3] ? Number(m[3]) : null, monthOf(m[2] ?? ''), Number(m[1])),
  );
  add(new RegExp(`\\b(${MONTH})\\s+(\\d{1,2})${ORD}(?:,?\\s+(\\d{4}))?\\b`, 'gi'), (m) =>
    dayKeys(m[3] ? Number(m[3]) : null, monthOf(m[1] ?? ''), Number(m[2])),
  );
  // 14/03/2026 or 03/14/2026: either reading keeps it.
  add(/\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b/g, (m) => {
    const [a, b, y] = [Number(m[1]), Number(m[2]), fullYear(m[3] ?? '')];
    const dm = dayKeys(y, b, a);
    const md = dayKeys(y, a, b);
    return { pin: [...dm.pin, ...md.pin], all: [...dm.all, ...md.all] };
  });
  add(new RegExp(`\\b(${MONTH})\\s+(\\d{4})\\b`, 'gi'), (m) => {
    const key = `${m[2]}-${pad(monthOf(m[1] ?? ''))}`;
    return { pin: [key], all: [key, `m:${pad(monthOf(m[1] ?? ''))}`] };
  });
  add(/\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?(?![a-z])/gi, (m) => {
    let h = Number(m[1]) % 12;
    if ((m[3] ?? '').toLowerCase() === 'p') h += 12;
    const key = `t:${pad(h)}:${m[2] ?? '00'}`;
    return Number(m[1]) > 12 ? { pin: [], all: [] } : { pin: [key], all: [key] };
  });
  add(/\b(\d{1,2}):(\d{2})\b/g, (m) => {
    const key = `t:${pad(Number(m[1]))}:${m[2]}`;
    return Number(m[1]) > 23 ? { pin: [], all: [] } : { pin: [key], all: [key] };
  });
  add(new RegExp(`\\b(${WEEKDAYS.join('|')})s?\\b`, 'gi'), (m) => {
    const key = `wd:${(m[1] ?? '').toLowerCase()}`;
    return { pin: [key], all: [key] };
  });
  // A month on its own ("in March"); "May" only beside a day or a year (it is a verb too).
  add(new RegExp(`\\b(${MONTHS.filter((m) => m !== 'may').join('|')})\\b`, 'gi'), (m) => {
    const key = `m:${pad(monthOf(m[1] ?? ''))}`;
    return /^\p{Lu}/u.test(m[1] ?? '') ? { pin: [key], all: [key] } : { pin: [], all: [] };
  });
  return found;
}

/** Every key the dates and times of a summary answer to. */
export function dateKeysOf(text: string): Set<string> {
  return new Set(datesIn(text).flatMap((d) => d.allKeys));
}

const MULTIPLIERS: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, million: 1e6, bn: 1e9, billion: 1e9 };

/** A number as one canonical string: "42,000" and "42000" and "42k" are all "42000"; "3.50" is "3.5". */
export function canonicalNumber(raw: string, multiplier?: string): string | null {
  let digits = raw.replace(/^[^\d]+/, '');
  // A comma between groups of three is a thousands separator; any other comma is a decimal mark.
  digits = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(digits) ? digits.replace(/,/g, '') : digits.replace(',', '.');
  const value = Number(digits);
  if (!Number.isFinite(value)) return null;
  const scaled = multiplier ? value * (MULTIPLIERS[multiplier.toLowerCase()] ?? 1) : value;
  return String(Math.round(scaled * 1e6) / 1e6);
}

/**
 * Numerals (with a currency sign, thousands separators, decimals, a multiplier such as "k" or
 * "million", a percent sign or an ordinal suffix), and codes that mix letters and digits ("LH441").
 */
export function numbersIn(text: string): { text: string; key: string }[] {
  const out: { text: string; key: string }[] = [];
  const re =
    /(?<![\p{L}\d.,])([$€£]?\d[\d,]*(?:\.\d+)?)(?:\s?(k|m|bn|thousand|million|billion)\b)?(?:%|st\b|nd\b|rd\b|th\b)?|(\b\p{L}+\d[\p{L}\d]*\b|\b\d+\p{L}{2,}[\p{L}\d]*\b)/giu;
  for (const m of text.matchAll(re)) {
    if (m[3]) {
      if (/^\d+(?:st|nd|rd|th)$/i.test(m[3])) out.push({ text: m[3], key: `n:${parseInt(m[3], 10)}` });
      else out.push({ text: m[3], key: `c:${m[3].toLowerCase()}` });
      continue;
    }
    const key = canonicalNumber((m[1] ?? '').replace(/,$/, ''), m[2]);
    if (key !== null) out.push({ text: m[0].trim(), key: `n:${key}` });
  }
  return out;
}

/** Every key the numbers of a summary answer to: numerals, codes, and number words ("three" for 3). */
export function numberKeysOf(text: string): Set<string> {
  const keys = new Set(numbersIn(text).map((n) => n.key));
  for (const w of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    const n = NUMBER_WORDS[w];
    if (n !== undefined) keys.add(`n:${n}`);
  }
  return keys;
}

/**
 * Names: runs of capitalised words ("New York", "Alice"), without the possessive. The common words
 * of COMMON are left out where capitals are grammar's (a sentence's or a quote's opener, "I") and
 * kept inside a name ("in New York").
 */
export function namesIn(text: string): string[] {
  const out: string[] = [];
  for (const sentence of sentences(text)) {
    let run: { word: string; common: boolean }[] = [];
    let opener = true;
    let runAtOpener = true;
    const flush = () => {
      let words = run;
      if (runAtOpener) while (words[0]?.common) words = words.slice(1);
      while (words.at(-1)?.common) words = words.slice(0, -1);
      if (words.length > 0) out.push(words.map((w) => w.word).join(' '));
      run = [];
    };
    for (const token of sentence.split(/\s+/)) {
      const word = token.replace(/^[^\p{L}\d]+|[^\p{L}\d'’]+$/gu, '').replace(/['’]s$/u, '');
      if (/^\p{Lu}[\p{L}'’-]*$/u.test(word)) {
        if (run.length === 0) runAtOpener = opener;
        run.push({ word, common: COMMON.has(word.toLowerCase()) });
      } else flush();
      opener = /[:"“]$/.test(token) || (opener && word === '');
      // Punctuation inside a sentence ends a name: "Alice, Bob" are two.
      if (/[,;:()"“”]$/.test(token)) flush();
    }
    flush();
  }
  return out;
}
