/**
 * @module extraction/secrets — finds credentials in free text so they are never stored or logged.
 *
 * A table of patterns in the manner of gitleaks and secretlint (read, not copied): provider tokens
 * by their fixed prefixes, then the shapes that need a second look (a password after "password is",
 * a high-entropy value after "key"/"token"/"secret", a Luhn-valid card number, a long random token on
 * its own). No library: the well-kept scanners are Go or Python (gitleaks, detect-secrets), and
 * secretlint is asynchronous and file-oriented while the gate is a synchronous function of a string.
 *
 * Every pattern is linear (no nested unbounded quantifiers), because the text is whatever a model or
 * a user wrote. The prefixed tokens have no leading word boundary on purpose: a key pasted straight
 * after a word ("keyghp_…") is still a key.
 */
import { entropy, redactFindings, scan, type Detector, type Finding } from './gateSpans.js';

const hasDigit = (v: string): boolean => /\d/.test(v);
const hasLetter = (v: string): boolean => /[A-Za-z]/.test(v);
const mixedCase = (v: string): boolean => /\d/.test(v) && /[A-Z]/.test(v) && /[a-z]/.test(v);

/** Words that follow "password is …" in a sentence about a password rather than in one that gives it. */
const NOT_A_VALUE = new Set(
  `a an the my his her their our your its this that not never no none stored saved kept managed required needed
  set reset changed expired weak strong long short secure insecure safe in on at for from same different being
  protected hashed encrypted written shared forgotten lost unknown invalid too very always
  also still now usually generated rotated updated only just easy hard simple complex private secret something
  nothing anything unique random based case-sensitive missing empty blank hidden`.split(/\s+/),
);

/**
 * A value after a keyword is a credential only if it looks random: letters and digits mixed, and more
 * entropy than a word with a version number. 2.5 bits rather than gitleaks' 3.5-3.7: after "key=" or
 * "token is", a 12+ character run with no space is hardly ever a fact, and hex keys with repeats
 * ("598a03bca300ba39601a30b03aa0aa77", 2.9 bits) must not pass.
 */
const looksRandom = (v: string): boolean => hasDigit(v) && hasLetter(v) && entropy(v) >= 2.5;

const DETECTORS: readonly Detector[] = [
  {
    kind: 'private_key',
    // A header alone counts too (the model may have cut the block); the body is redacted with it.
    pattern:
      /-----BEGIN[A-Z ]{0,30} PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END[A-Z ]{0,30} PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s]*)/g,
  },
  { kind: 'anthropic_key', pattern: /sk-ant-[A-Za-z0-9_-]{20,}/g },
  {
    kind: 'openai_key',
    // The left boundary and the digit check keep "task-management-for-engineering-teams" out.
    pattern: /(?<![A-Za-z0-9])sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g,
    accept: looksRandom,
  },
  { kind: 'github_token', pattern: /(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/g },
  { kind: 'gitlab_token', pattern: /glpat-[A-Za-z0-9_-]{20,}/g },
  { kind: 'aws_access_key', pattern: /(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Z0-9])/g },
  {
    kind: 'aws_secret_key',
    pattern: /aws[\w .-]{0,30}?(?:secret|key)[\w .-]{0,20}?[\s:="'`]+([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/dgi,
    group: 1,
  },
  { kind: 'slack_token', pattern: /xox[abposre]-[A-Za-z0-9-]{10,}/g },
  { kind: 'slack_webhook', pattern: /hooks\.slack\.com\/services\/[A-Za-z0-9/_-]{20,}/g },
  { kind: 'google_api_key', pattern: /AIza[0-9A-Za-z_-]{35}/g },
  { kind: 'stripe_key', pattern: /(?:(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}|whsec_[A-Za-z0-9]{24,})/g },
  { kind: 'npm_token', pattern: /npm_[A-Za-z0-9]{36}/g },
  { kind: 'huggingface_token', pattern: /hf_[A-Za-z0-9]{30,}/g },
  { kind: 'sendgrid_key', pattern: /SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g },
  // Our own AI keys, `mwk_<key id>.<secret>` (packages/core/src/keys.ts). The key id alone is public.
  { kind: 'memory_weaver_key', pattern: /mwk_[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{8,}/g },
  // A JWT's header and payload are base64url JSON objects, so both start with `eyJ` (`{"`).
  { kind: 'jwt', pattern: /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g },
  { kind: 'bearer_token', pattern: /\bbearer\s+([A-Za-z0-9._~+/-]{16,}=*)/dgi, group: 1, accept: hasDigit },
  {
    kind: 'bearer_token',
    pattern: /\bauthorization\s*[:=]\s*(?:(?:basic|bearer|token|digest)\s+)?([^\s"'`]{8,})/dgi,
    group: 1,
  },
  {
    kind: 'connection_string',
    // scheme://user:password@host — the whole URL goes, since the host is half of the credential.
    pattern: /[a-z][a-z0-9+.-]{1,30}:\/\/[^\s:/?#@]+:[^\s@/?#]+@[^\s"'`<>]*[^\s"'`<>.,;:!?)]/gi,
  },
  {
    kind: 'credential',
    pattern:
      /[?&](?:password|passwd|pwd|pass|token|access_token|auth|api_key|apikey|secret|client_secret|sig|signature|key)=([^&\s#"'`]{4,})/dgi,
    group: 1,
  },
  {
    kind: 'password',
    // "my password is hunter2", "password: x", "the password for the wifi is 'sunflower'", "PIN is 4821".
    pattern:
      /\b(?:password|passwd|passwort|pwd|passcode|passphrase|pin(?: code| number)?)\b(?:\s+(?:for|to|of|on|at)\s+[\w .@'-]{1,40}?)?\s*(?:is|was|=|:|:=|->|=>)\s*["'`]?([^\s"'`]{3,}?)(?=[.,;)]*(?:\s|$|["'`]))/dgi,
    group: 1,
    accept: (v) => !NOT_A_VALUE.has(v.toLowerCase()),
  },
  {
    kind: 'password',
    // "with password hunter2", "pw: x": no verb, so the value must not be a plain word ("password manager").
    pattern: /\b(?:password|passwd|pwd|pw|passcode)\s+([^\s"'`]{4,}?)(?=[.,;)]*(?:\s|$|["'`]))/dgi,
    group: 1,
    accept: (v) => /[\d\W_]/.test(v) && !NOT_A_VALUE.has(v.toLowerCase()),
  },
  {
    kind: 'password',
    pattern: /\bpw\s*(?:is|was|=|:)\s*["'`]?([^\s"'`]{3,}?)(?=[.,;)]*(?:\s|$|["'`]))/dgi,
    group: 1,
    accept: (v) => !NOT_A_VALUE.has(v.toLowerCase()),
  },
  {
    kind: 'access_code',
    // Codes that open something: a card's CVV, one-time and backup codes, door and alarm codes.
    pattern:
      /\b(?:cvv2?|cvc2?|security code|otp|one-time (?:pass)?code|verification code|(?:2fa|mfa) (?:backup |recovery )?codes?|backup codes?|recovery codes?|door code|alarm code|gate code|safe code|lock combination|combination)\b[^\n\d]{0,12}?(?:\s*(?:is|are|was|:|=)\s*|\s+)(\d[\d -]{1,40}\d)/dgi,
    group: 1,
    accept: (v) => v.replace(/\D/g, '').length >= 3,
  },
  {
    kind: 'credential',
    // "credentials are alex:Sup3rS3cret!": a login and a password joined by a colon.
    pattern:
      /\b(?:credentials?|creds|login|log-in|username and password)\b[^\n]{0,20}?\s["'`]?([^\s:"'`]{1,64}:[^\s"'`]{4,})/dgi,
    group: 1,
    accept: (v) => /[\d\W_]/.test(v.slice(v.indexOf(':') + 1)),
  },
  {
    kind: 'credential',
    // gitleaks' "generic API key": a keyword, a few words at most, an assignment or "is", then a random value.
    pattern:
      /(?:api[_ .-]?key|apikey|access[_ .-]?key|secret[_ .-]?key|client[_ .-]?secret|auth[_ .-]?key|private[_ .-]?key|licen[cs]e[_ .-]?key|product[_ .-]?key|\bsecret|\btoken|\bcredentials?|\bkey)\b[\w .-]{0,20}?(?:\s*(?:=|:|:=|=>|->)\s*|\s+(?:is|was|are)\s+|\s+)["'`]?([A-Za-z0-9_\-+/=.~]{11,199}[A-Za-z0-9_\-+/=~])/dgi,
    group: 1,
    accept: looksRandom,
  },
  {
    kind: 'high_entropy_string',
    // A long random token with no keyword: upper, lower and digits mixed, at a random string's entropy.
    // '/' and '.' split tokens, so paths and URLs are never one.
    pattern: /[A-Za-z0-9_\-+]{32,}={0,2}/g,
    accept: (v) => mixedCase(v) && entropy(v) >= 4 && !/-{2}/.test(v),
  },
  {
    kind: 'aws_secret_key',
    // A bare AWS secret key: exactly 40 base64 characters. A path is never one: it can't start after
    // a '.', and it would have to be exactly 40 characters at a random string's entropy.
    pattern: /(?<![A-Za-z0-9/+=.])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    accept: (v) => mixedCase(v) && entropy(v) >= 4.2,
  },
];

/** Luhn's checksum, which every payment card number satisfies and 9 in 10 other numbers don't. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Card numbers: 13 to 19 digits, bare or in groups split by single spaces or dashes, Luhn-valid.
 * Every run of consecutive groups is tried, so a card written after another number ("order 5 4111 1111 …")
 * is still found. A run right after '+' is a phone number. A Luhn-valid order number of card length is
 * rejected too: that is the safe side.
 */
function findCards(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const run of text.matchAll(/\d+(?:[ -]\d+)*/g)) {
    const groups = [...run[0].matchAll(/\d+/g)].map((g) => ({ start: run.index + g.index, digits: g[0] }));
    const afterPlus = text[run.index - 1] === '+';
    for (let i = afterPlus ? 1 : 0; i < groups.length; i++) {
      let digits = '';
      for (let j = i; j < groups.length; j++) {
        const group = groups[j] as { start: number; digits: string };
        digits += group.digits;
        if (digits.length > 19) break;
        if (digits.length >= 13 && luhn(digits)) {
          findings.push({
            kind: 'card_number',
            rank: -1, // a checksum-verified card outranks any pattern that overlaps it
            start: (groups[i] as { start: number }).start,
            end: group.start + group.digits.length,
          });
        }
      }
    }
  }
  return findings;
}

/** Every secret in the text, in text order (spans may overlap; redaction merges them). */
export function findSecrets(text: string): Finding[] {
  return [...scan(text, DETECTORS), ...findCards(text)].sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Replaces every secret in free text by `[redacted:<kind>]` (for stored chat turns and for anything that may reach a log). */
export function redactSecrets(text: string): { text: string; kinds: string[] } {
  return redactFindings(text, findSecrets(text));
}
