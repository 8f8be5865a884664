/**
 * @module extraction/gate — the quality gate: deterministic checks after the model, so what is stored
 * holds whatever the model proposed. Pure (no I/O, no clock); the pipeline calls `gateCandidate` once
 * per candidate and counts each rejection by its reason.
 *
 * Order of the checks, and why:
 *  1. `empty`: nothing to look at.
 *  2. `secret`: first, so a candidate holding a credential is always counted as one, whatever else is
 *     wrong with it. Never redacted-and-stored: a fact about a secret is not worth the risk.
 *  3. `too_long`: cheap, and says the most about a transcript-sized candidate.
 *  4. `refusal`, `template`: before `too_short`, so "N/A" is counted as the non-answer it is.
 *  5. `too_short`, then `echo` (an injected memory restated).
 *  6. `personal_data` by the AI's policy, last: it is the only check that may change the content.
 *
 * The only other change to the content is cosmetic: whitespace collapsed, and a list marker or
 * wrapping quotes the model added removed. No `detail` ever quotes the candidate.
 */
import { findEcho } from './gateEcho.js';
import { refusal, template, tooLong, tooShort } from './gateJunk.js';
import { redactFindings, type Finding } from './gateSpans.js';
import { contentWords } from './gateWords.js';
import { findPersonalData } from './personalData.js';
import { findSecrets, redactSecrets } from './secrets.js';

export { redactSecrets };

export type PersonalDataPolicy = 'store' | 'redact' | 'reject';

/**
 * `refusal` is the model declining or saying there is nothing ("I'm sorry…", "As an AI…", "No
 * relevant facts", "N/A", "None"); `template` is text shaped like a fact that is not one
 * (placeholders, JSON or markdown debris, a transcript, a question).
 */
export const REJECT_REASONS = [
  'empty',
  'too_short',
  'too_long',
  'refusal',
  'template',
  'echo',
  'secret',
  'personal_data',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface GateInput {
  /** The candidate fact as the model proposed it. */
  content: string;
  /** Contents of the memories that were injected into the exchange's context (a candidate that only echoes one of them is rejected). */
  injected: readonly string[];
  personalData: PersonalDataPolicy;
}

export type GateVerdict =
  | { ok: true; content: string; /** kinds redacted, e.g. ['email'] (empty when nothing was) */ redacted: string[] }
  | {
      ok: false;
      reason: RejectReason;
      /** a short explanation that NEVER contains the secret or personal data itself */ detail: string;
    };

/** Beyond this the candidate is rejected as too long without being scanned, so no input is slow to gate. */
const MAX_SCANNED = 20_000;

/** Words that only name what was redacted: "User's email address is [redacted:email]" says nothing. */
const REDACTED_NOUNS = new Set(
  'user person email mail address phone number mobile cell telephone contact iban bank account ip ssn social security passport id licence license home work personal private street'.split(
    ' ',
  ),
);

export function gateCandidate(input: GateInput): GateVerdict {
  const text = tidy(input.content);
  if (!text) return reject('empty', 'no content');
  if (text.length > MAX_SCANNED) return reject('too_long', `${text.length} characters, not scanned`);

  const secrets = [...findSecrets(text), ...findSecrets(withoutInvisibles(input.content))];
  if (secrets.length > 0) return reject('secret', `contains a secret (${kindsOf(text, secrets).join(', ')})`);

  const checks: [RejectReason, (t: string) => string | null][] = [
    ['too_long', tooLong],
    ['refusal', refusal],
    ['template', template],
    ['too_short', tooShort],
  ];
  for (const [reason, check] of checks) {
    const why = check(text);
    if (why !== null) return reject(reason, why);
  }

  const echo = findEcho(text, input.injected);
  if (echo) {
    return reject(
      'echo',
      `restates injected memory #${echo.index} (${Math.round(echo.containment * 100)} % of its words)`,
    );
  }

  const personal = findPersonalData(text);
  if (personal.length === 0 || input.personalData === 'store') return { ok: true, content: text, redacted: [] };
  const redacted = redactFindings(text, personal);
  const kinds = redacted.kinds;
  if (input.personalData === 'reject') return reject('personal_data', `contains personal data (${kinds.join(', ')})`);
  const left = contentWords(redacted.text.replace(/\[redacted:[\w-]+\]/g, ' ')).filter(
    (w) => !REDACTED_NOUNS.has(w.term),
  );
  if (left.length < 2) return reject('personal_data', `nothing meaningful left once ${kinds.join(', ')} redacted`);
  return { ok: true, content: redacted.text, redacted: redacted.kinds };
}

/** The kinds named in a detail: those redaction would print, one per span (the most specific pattern's). */
function kindsOf(text: string, findings: readonly Finding[]): string[] {
  // Findings from the text without invisibles index another string: their spans still merge by rank.
  return [...new Set(redactFindings(text, findings).kinds)];
}

function reject(reason: RejectReason, detail: string): GateVerdict {
  return { ok: false, reason, detail };
}

/** Zero-width characters hide a token from a pattern without changing what a reader (or a model) sees. */
function withoutInvisibles(text: string): string {
  return text.replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '');
}

/** Collapses whitespace and removes what a model wraps a fact in: a list marker, quotes, backticks. */
function tidy(raw: string): string {
  let text = raw
    .replace(/[^\S\n]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
  text = text.replace(/^(?:[-*•–]|\d{1,2}[.)])\s+(?=\S)/, '');
  const wrapped = /^(["'“‘`])([\s\S]*)(["'”’`])$/.exec(text);
  if (wrapped && !/["“”`]/.test(wrapped[2] as string)) text = (wrapped[2] as string).trim();
  return text;
}
