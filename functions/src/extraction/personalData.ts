/**
 * @module extraction/personalData — finds personal data that identifies or reaches a person:
 * email addresses, phone numbers, IBANs, government ids, public IP addresses and exact street
 * addresses. Names, cities, employers, birthdays and preferences are not in it on purpose: they are
 * what a memory is for. Each AI's policy (`store | redact | reject`) decides what the gate does with
 * a finding; this module only finds.
 *
 * Each pattern errs toward precision with a check a regex can't do (IBAN's mod-97, a phone's digit
 * count, a public IP range), because a false finding under `reject` throws away a real fact.
 */
import { redactFindings, scan, type Detector, type Finding } from './gateSpans.js';

const digitCount = (v: string): number => v.replace(/\D/g, '').length;
const between = (v: string, min: number, max: number): boolean => {
  const n = digitCount(v);
  return n >= min && n <= max;
};

/** ISO 13616: move the country and check digits to the end, letters to numbers (A=10), mod 97 must be 1. */
export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/\s/g, '').toUpperCase();
  if (iban.length < 15 || iban.length > 34) return false;
  let rest = 0;
  for (const ch of iban.slice(4) + iban.slice(0, 4)) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const d of value) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

/** Loopback, private and link-local addresses identify no one; public ones can. */
function publicIpv4(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  return !(a === 192 && b === 168);
}

const STREET_TYPES =
  'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Circle|Parkway|Pkwy|Highway|Hwy|Square|Sq|Crescent|Close|Gardens|Row|Mews';

// Order is rank: where spans overlap, the earlier row names the kind (an SSN also looks like a phone number).
const DETECTORS: readonly Detector[] = [
  // The lookbehind makes every match start at a word's start, which keeps the scan linear.
  { kind: 'email', pattern: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { kind: 'iban', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g, accept: ibanValid },
  // US SSN with its dashes, minus the ranges never issued (000, 666, 9xx, group 00, serial 0000).
  { kind: 'government_id', pattern: /(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])/g },
  // UK National Insurance number.
  { kind: 'government_id', pattern: /\b[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g },
  // An id number the text names (SSN, passport, licence, tax id): the value must hold digits.
  {
    kind: 'government_id',
    pattern:
      /\b(?:ssn|social security(?: number)?|social insurance number|tax id|tax number|national id(?: number)?|passport(?: number| no\.?)?|driver'?s licen[cs]e(?: number)?|id card(?: number)?|personalausweis(?:nummer)?)\b[^\w\n]{0,5}(?:(?:is|was|number|no\.?|#)\s*)?[:#]?\s*([A-Za-z]{0,2}\d[\d -]{4,14}\d[A-Za-z]?)/dgi,
    group: 1,
  },
  // International (+49 151 2345 6789), 8-15 digits as E.164 allows.
  {
    kind: 'phone',
    pattern: /(?<![\w+])\+\d[\d ().-]{6,20}\d/g,
    accept: (v) => between(v, 8, 15) && !/[ .-]{2}/.test(v),
  },
  // North American (415) 555-2671 / 415-555-2671 / 415.555.2671.
  { kind: 'phone', pattern: /(?<![\w+(])(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-])/g },
  // National with a trunk zero: 030 1234567, 07700 900123, 06 12 34 56 78.
  {
    kind: 'phone',
    pattern: /(?<![\w+.,-])0\d{1,4}(?:[ /-]?\d{2,4}){2,4}(?![\w.,-]\d|\w)/g,
    accept: (v) => between(v, 9, 12),
  },
  // Any number the text calls a phone number.
  {
    kind: 'phone',
    pattern:
      /\b(?:phone|mobile|cell|tel|telephone|whatsapp|fax)\b(?: number| no\.?| #)?\s*(?:is|was|:|=)?\s*(\+?\d[\d ().-]{5,18}\d)/dgi,
    group: 1,
    accept: (v) => between(v, 7, 15),
  },
  {
    kind: 'ip_address',
    pattern: /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g,
    accept: publicIpv4,
  },
  { kind: 'ip_address', pattern: /(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\w:])/g },
  {
    kind: 'ip_address',
    // Compressed IPv6 with at least three groups ("fe80::1" and "::1" say nothing about anyone).
    pattern: /(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?(?![\w:])/g,
    accept: (v) => v.split(':').filter(Boolean).length >= 3,
  },
  // Exact street addresses: a house number and a named street with a street-type word. A street
  // without a number ("lives on Main Street") is not exact and is kept.
  {
    kind: 'street_address',
    pattern: new RegExp(
      `\\b\\d{1,6}[A-Za-z]?,?\\s+(?:(?:\\d{1,3}(?:st|nd|rd|th)|[A-Z][A-Za-z'.-]*)\\s+){1,4}(?:${STREET_TYPES})\\b\\.?`,
      'g',
    ),
  },
  {
    kind: 'street_address',
    pattern:
      /(?<!\p{L})\p{Lu}[\p{L}-]*(?:straße|strasse|str\.|weg|gasse|platz|allee|damm|ufer|(?:\s(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee)))\s+\d{1,4}[a-z]?(?!\d)/gu,
  },
  {
    kind: 'street_address',
    pattern:
      /(?<![\p{L}\d])\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai)\s+(?:(?:de la|de l'|du|des|de|d')\s*)?\p{L}[\p{L}'’-]*/giu,
  },
  {
    kind: 'street_address',
    pattern:
      /(?<!\p{L})(?:Calle|Avenida|Plaza|Paseo|Carrer|Via|Viale|Piazza|Corso|Rua)\s+(?:\p{L}[\p{L}'.-]*\s+){1,4}\d{1,4}(?!\d)/gu,
  },
];

/** Every piece of personal data in the text, in text order. */
export function findPersonalData(text: string): Finding[] {
  return scan(text, DETECTORS);
}

/** The text with each piece of personal data replaced by `[redacted:<kind>]`. */
export function redactPersonalData(text: string): { text: string; kinds: string[] } {
  return redactFindings(text, findPersonalData(text));
}
