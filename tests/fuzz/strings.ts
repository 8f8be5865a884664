/**
 * @module tests/fuzz/strings — the awkward text the fuzzers send: lone surrogates, line and
 * paragraph separators, NUL and other controls, bidi marks, combining marks, astral characters,
 * characters whose case mapping changes their length, and JSON's and URLs' own syntax.
 */
import fc from 'fast-check';

/**
 * One code unit or character each. Lone surrogates survive `JSON.stringify` as `\udxxx` escapes,
 * so the server's JSON parser hands them to the app as they are; sent raw as UTF-8 they become
 * U+FFFD on the way. None of these spells a leak pattern (see oracle.ts), alone or joined.
 */
export const AWKWARD_CHARS = [
  '\uD800', // lone high surrogate
  '\uDBFF',
  '\uDC00', // lone low surrogate
  '\uDFFF',
  '\uDE00\uD83D', // a pair in the wrong order
  '\u2028', // LINE SEPARATOR: a line break to JavaScript before ES2019, not to JSON
  '\u2029', // PARAGRAPH SEPARATOR
  '\u0000', // NUL
  '\u0001',
  '\u001F',
  '\u007F', // DEL
  '\u0085', // NEL
  '\t',
  '\n',
  '\r',
  '\u200E', // LEFT-TO-RIGHT MARK
  '\u200F', // RIGHT-TO-LEFT MARK
  '\u202A', // LEFT-TO-RIGHT EMBEDDING
  '\u202B', // RIGHT-TO-LEFT EMBEDDING
  '\u202E', // RIGHT-TO-LEFT OVERRIDE
  '\u2066', // LEFT-TO-RIGHT ISOLATE
  '\u2069', // POP DIRECTIONAL ISOLATE
  '\u200B', // ZERO WIDTH SPACE
  '\u200D', // ZERO WIDTH JOINER
  '\uFEFF', // BYTE ORDER MARK
  '\uFFFD', // REPLACEMENT CHARACTER
  '\uFFFE', // a noncharacter
  '\uFFFF', // a noncharacter
  '\u0301', // COMBINING ACUTE ACCENT
  '\u0130', // İ: lower-cases to two code units
  '\u00DF', // ß: upper-cases to "SS"
  '\uFB03', // ﬃ
  '\u{1F600}', // an astral character (a surrogate pair)
  '\u{10FFFF}', // the last code point
  '\u05D0', // Hebrew alef (right-to-left)
  '\u0627', // Arabic alef
  '\u4E2D', // a CJK character
  '"',
  '\\',
  '/',
  '.',
  '..',
  '%',
  '%00',
  '%ZZ',
  '$',
  '#',
  '?',
  '&',
  '=',
  '+',
  '<',
  '>',
  '`',
  '{',
  '}',
  '[',
  ']',
  ' ',
  '__',
  'null',
  'undefined',
  'constructor',
  '__proto__',
  'prototype',
] as const;

/** A unit of text: mostly ordinary, often awkward. */
const textUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom(...AWKWARD_CHARS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

/** Text of `minLength` to `maxLength` units, each ordinary or awkward. */
export const awkwardText = (minLength = 0, maxLength = 40): fc.Arbitrary<string> =>
  fc.string({ unit: textUnit, minLength, maxLength });

/** Printable ASCII only, for where a test needs a readable value. */
export const plainText = (minLength = 0, maxLength = 40): fc.Arbitrary<string> =>
  fc.string({ unit: 'grapheme-ascii', minLength, maxLength });

/** Characters of 1 to 4 UTF-8 bytes, to pad a body to an exact byte size. */
export const PAD_CHARS = ['x', '\u00E9', '\u20AC', '\u{1F600}'] as const;
export type PadChar = (typeof PAD_CHARS)[number];

/** How many UTF-8 bytes a string takes (a lone surrogate takes 3, as U+FFFD). */
export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** A string of exactly `bytes` UTF-8 bytes, made of `pad` and, for the remainder, "x". */
export function paddedTo(bytes: number, pad: PadChar): string {
  if (bytes <= 0) return '';
  const size = utf8Bytes(pad);
  const count = Math.floor(bytes / size);
  return pad.repeat(count) + 'x'.repeat(bytes - count * size);
}

/** JSON-escaped size of a string (what it adds to a body), for padding to an exact byte count. */
export const jsonBytes = (value: unknown): number => utf8Bytes(JSON.stringify(value));
