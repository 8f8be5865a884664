/**
 * @module extraction/gateJunk — text that is not a fact: too short or too long, a refusal or a
 * "nothing to remember" answer, template text (placeholders, JSON or markdown debris, a transcript,
 * a question). Each check returns a short reason or null, and never quotes the candidate.
 */
import { contentWords, rawWords } from './gateWords.js';

/**
 * Length bounds. The shortest useful facts are a subject, a verb and a value: "User is vegan" (3
 * words, 11 letters), "Name is Alex" (3 words, 10). Below that is a fragment ("Likes tea", "ok").
 * At least two content words also rules out "It is what it is". Above 500 characters the candidate
 * is a paragraph or a transcript, not one fact: mem0-style facts run 30-150 characters, and 500
 * leaves room for a compound fact with names and dates.
 */
export const MIN_WORDS = 3;
export const MIN_ALNUM = 10;
export const MIN_CONTENT_WORDS = 2;
export const MAX_CHARS = 500;

export function tooShort(text: string): string | null {
  const words = rawWords(text);
  if (words.length < MIN_WORDS) return `${words.length} word(s), fewer than ${MIN_WORDS}`;
  const alnum = text.replace(/[^\p{L}\p{N}]/gu, '').length;
  if (alnum < MIN_ALNUM) return `${alnum} letters or digits, fewer than ${MIN_ALNUM}`;
  const content = contentWords(text).length;
  if (content < MIN_CONTENT_WORDS) return `${content} content word(s), fewer than ${MIN_CONTENT_WORDS}`;
  return null;
}

export function tooLong(text: string): string | null {
  return text.length > MAX_CHARS ? `${text.length} characters, more than ${MAX_CHARS}` : null;
}

/** Whole answers that mean "nothing": the model filled the slot instead of leaving it empty. */
const NOTHING_ANSWER =
  /^(?:none|n\/?a|null|nil|undefined|nan|unknown|not (?:applicable|available|specified|provided|mentioned|known)|no|yes|ok(?:ay)?|empty|nothing|no facts?|no memor(?:y|ies)|[-–—.…_*]+)[.!]?$/i;

const REFUSALS: readonly [RegExp, string][] = [
  [/^(?:i['’]?m|i am|we are)\s+(?:sorry|afraid|unable|not able)\b/i, 'an apology or refusal'],
  [/^(?:sorry|unfortunately|apologies)\b/i, 'an apology or refusal'],
  [
    /\b(?:i|we)\s+(?:can(?:['’]?t|not)|am unable to|are unable to|won['’]?t be able to|do not|don['’]?t|did not|didn['’]?t)\s+(?:help|assist|provide|extract|comply|do that|determine|identify|find|see|know|have (?:access|enough|any|personal))\b/i,
    'an apology or refusal',
  ],
  [/\bas an? (?:ai|artificial intelligence|(?:large )?language model|llm|ai assistant|chatbot)\b/i, 'speaks as an AI'],
  [/\bi(?:['’]m| am) (?:an? )?(?:ai|language model|assistant|chatbot)\b/i, 'speaks as an AI'],
  [
    /^(?:there (?:are|is|were|was) )?(?:no|nothing)\b(?:\s+(?:new|relevant|notable|important|memorable|useful|personal|significant|specific|lasting|other|additional|further|such|more|key|extractable|meaningful))*\s*(?:facts?|information|info|memories|memory|details?|data|preferences?|to (?:remember|store|extract|note|add|save|report|keep)|(?:was |were )?(?:found|identified|extracted|detected|provided|mentioned))\b/i,
    'says there is nothing to remember',
  ],
  [
    /^nothing (?:new|notable|relevant|important|of note|worth|memorable|significant)\b/i,
    'says there is nothing to remember',
  ],
  [
    /\b(?:the )?(?:conversation|exchange|text|message|messages|dialogue|input|user) (?:does not|doesn['’]t|did not|didn['’]t) (?:contain|include|mention|reveal|provide|share|state) (?:any )?(?:new |relevant |personal |lasting )*(?:facts?|information|details|memories|preferences)\b/i,
    'says there is nothing to remember',
  ],
];

/** A refusal or a "nothing to remember" answer, or null. */
export function refusal(text: string): string | null {
  const normal = text.replace(/[’]/g, "'");
  if (NOTHING_ANSWER.test(normal)) return 'an answer that means "nothing"';
  for (const [pattern, why] of REFUSALS) if (pattern.test(normal)) return why;
  return null;
}

const TEMPLATES: readonly [RegExp, string][] = [
  [/\[redacted(?::[\w-]*)?\]/i, 'refers to redacted text'],
  [
    /\[(?:[A-Z][A-Z0-9 _-]{0,30}|name|user(?:name)?|email|date|city|company|age|location|fact|value|placeholder|insert[^\]]{0,30})\]/,
    'a placeholder',
  ],
  [/<\/?[A-Za-z_][\w -]{0,30}>/, 'a placeholder or markup'],
  [/\{\{[^}]{0,50}\}\}|\$\{[^}]{0,50}\}|%\(\w+\)s|\{[a-z_]\w{0,30}\}/, 'a placeholder'],
  [/\b(?:TODO|TBD|FIXME|XXX+)\b/, 'a placeholder'],
  [/\blorem ipsum\b/i, 'filler text'],
  [/\b(?:insert|enter|add|put)\s+(?:\w+\s+){0,3}here\b/i, 'a placeholder'],
  [/_{3,}/, 'a blank to fill in'],
  [/\b(?:example|sample|placeholder|dummy) (?:fact|memory|text|value)\b/i, 'a placeholder'],
  [/```|^\s*[{[]|[}\]]\s*$|"[\w -]{1,40}"\s*:/, 'JSON or markdown debris'],
  [/^\s*#{1,6}\s|^\s*\|.*\|\s*$|^\s*>\s/, 'markdown debris'],
  [/\\[nrt"]|&(?:quot|lt|gt|amp|nbsp);/, 'escaped text'],
  [
    /^(?:\*\*|__)?(?:facts?|memory|memories|candidate|output|answer|response|result|extracted)(?:\*\*|__)?\s*:/i,
    'a label, not a fact',
  ],
  [/^(?:assistant|system|human|bot|ai|model)\s*:/im, 'a transcript'],
  [/^(?:here (?:are|is)|the following|below (?:are|is))\b|:\s*$/i, 'an introduction to a list, not a fact'],
];

/** A question, not a fact: ends with '?', or opens like one ("What is…", "Do you…", "Does the user…"). */
const QUESTION = [
  /\?\s*["'”’)]*\s*$/,
  /^(?:what|who|whom|whose|where|when|why|how|which)\s+(?:is|are|was|were|do|does|did|can|could|would|should|will|shall|may|might|has|have|had)\b/i,
  /^(?:do|does|did|can|could|would|will|should|shall|may|is|are|was|were|have|has)\s+(?:you|i|we|they|the user|user)\b/i,
];

/** Template text, debris or a question, or null. */
export function template(text: string): string | null {
  for (const [pattern, why] of TEMPLATES) if (pattern.test(text)) return why;
  if (text.split(/\n/).filter((line) => line.trim()).length >= 3) return 'several lines: a list or a transcript';
  if (/^user\s*:/im.test(text) && text.includes('\n')) return 'a transcript';
  if (QUESTION.some((pattern) => pattern.test(text))) return 'a question, not a fact';
  const visible = text.replace(/\s/g, '');
  const alnum = visible.replace(/[^\p{L}\p{N}]/gu, '').length;
  if (visible.length > 0 && alnum / visible.length < 0.6) return 'mostly symbols';
  return null;
}
