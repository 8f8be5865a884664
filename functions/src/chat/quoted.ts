/**
 * @module chat/quoted — stored text as a model is shown it: one JSON object a line, between tags
 * that the instructions name as data. Nothing inside a line may end the line or close the block.
 */

/**
 * `JSON.stringify` escapes every C0 control, so \n, \r, \v, \f and the separators \x1c–\x1e never
 * appear raw. It leaves three kinds of character a reader could act on:
 * - `<`, with which stored text could write the block's closing tag;
 * - U+2028 and U+2029 (line and paragraph separators), which end a line for JavaScript, for
 *   Python's `str.splitlines`, Perl's `\R` and Unicode's line-breaking rules;
 * - NEL (U+0085), a line end for the same readers, with the rest of the C1 controls and DEL
 *   (U+007F–U+009F), which are invisible.
 * Each becomes a `\uXXXX` escape: still valid JSON that decodes to the same text, one line for all.
 */
const UNSAFE = /[<\u007f-\u009f\u2028\u2029]/g;

export function quotedLine(value: Record<string, unknown>): string {
  return JSON.stringify(value).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
