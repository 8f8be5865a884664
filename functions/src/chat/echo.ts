/**
 * @module chat/echo — what of a model's answer is its own and what it copied from the memories it
 * was given. An exchange is saved to working memory as something the AI learnt; a copy of a
 * memory inside it is not new knowledge, and saving it would give a poisoned memory a second life
 * with fresh provenance (the AI's own key, `POST /v1/chat/completions`) that outlives the deletion
 * of the original. So a copy is saved as a reference to the memory it came from, and an answer
 * that is nothing but copies is not saved at all.
 *
 * Only verbatim copies are found: whole memories, and their lines and sentences long enough not to
 * be commonplace. A paraphrase is the model's own words.
 */
import type { MemoryType } from '@memory-weaver/protocol';

export interface GivenMemory {
  memory_id: string;
  content: string;
  /** The tier it was in when given (absent where it doesn't matter). */
  memory_type?: MemoryType;
}

/** A line or sentence shorter than this ("Thank you.") is too common to call a copy. */
const MIN_FRAGMENT_CHARS = 24;

/** What stands in for a copied memory in the saved text. */
export const memoryReference = (memoryId: string): string => `[memory ${memoryId}]`;

export interface OwnWords {
  /** The answer with every copy replaced by its reference. */
  text: string;
  /** False when nothing but copies and punctuation is left. */
  hasOwnWords: boolean;
}

function fragments(content: string): string[] {
  const whole = content.trim();
  const parts = whole
    .split(/[\r\n\u0085\u2028\u2029]+/)
    .flatMap((line) => [line, ...line.split(/(?<=[.!?])\s+/)])
    .map((s) => s.trim())
    .filter((s) => s.length >= MIN_FRAGMENT_CHARS);
  return whole ? [whole, ...parts] : parts;
}

export function ownWords(answer: string, given: GivenMemory[]): OwnWords {
  const copies = given
    .flatMap((m) => fragments(m.content).map((text) => ({ text, ref: memoryReference(m.memory_id) })))
    // Longest first, so a whole memory is replaced before any of its sentences.
    .sort((a, b) => b.text.length - a.text.length);
  let text = answer;
  for (const copy of copies) text = text.split(copy.text).join(copy.ref);
  // An answer that is exactly a short memory is a copy too, though too short to look for inside others.
  const exact = given.find((m) => m.content.trim() !== '' && m.content.trim() === answer.trim());
  if (exact) text = memoryReference(exact.memory_id);
  const refs = new Set(given.map((m) => memoryReference(m.memory_id)));
  let rest = text;
  for (const ref of refs) rest = rest.split(ref).join(' ');
  return { text, hasOwnWords: /[\p{L}\p{N}]/u.test(rest) };
}
