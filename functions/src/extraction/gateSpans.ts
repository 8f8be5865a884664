/**
 * @module extraction/gateSpans — what the secret and personal-data scanners share: a finding is a
 * kind and a span of the text, found by a table of patterns, and redaction replaces each span
 * (overlaps merged) by `[redacted:<kind>]`.
 */

export interface Finding {
  kind: string;
  start: number;
  end: number;
  /** Where overlapping findings merge, the lowest rank names the kind: the more specific pattern. */
  rank: number;
}

/**
 * One row of a scanner's table. `pattern` must be global; with `group`, only that capture group is
 * the sensitive part (so "my password is [redacted:password]" keeps its context) and the pattern
 * needs the `d` flag for the group's indices. `accept` is the check a regular expression can't do
 * (a checksum, an entropy floor, a word that says "this is not a value").
 */
export interface Detector {
  kind: string;
  pattern: RegExp;
  group?: number;
  accept?: (value: string) => boolean;
}

/** Every finding of every detector, in text order. */
export function scan(text: string, detectors: readonly Detector[]): Finding[] {
  const findings: Finding[] = [];
  for (const [rank, detector] of detectors.entries()) {
    // matchAll clones the pattern, so the shared global regex keeps no lastIndex between calls.
    for (const match of text.matchAll(detector.pattern)) {
      const span = detector.group === undefined ? undefined : match.indices?.[detector.group];
      const start = span ? span[0] : match.index;
      const end = span ? span[1] : match.index + match[0].length;
      if (end <= start) continue;
      if (detector.accept && !detector.accept(text.slice(start, end))) continue;
      findings.push({ kind: detector.kind, start, end, rank });
    }
  }
  return findings.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** The text with each finding replaced by `[redacted:<kind>]`; overlapping findings become one (the best-ranked kind). */
export function redactFindings(text: string, findings: readonly Finding[]): { text: string; kinds: string[] } {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const kinds = new Set<string>();
  let out = '';
  let cursor = 0;
  let current: Finding | undefined;
  const flush = (): void => {
    if (!current) return;
    out += `${text.slice(cursor, current.start)}[redacted:${current.kind}]`;
    cursor = current.end;
    kinds.add(current.kind);
  };
  for (const finding of sorted) {
    if (current && finding.start < current.end) {
      const best = finding.rank < current.rank ? finding : current;
      current = { ...current, end: Math.max(current.end, finding.end), kind: best.kind, rank: best.rank };
      continue;
    }
    flush();
    current = finding;
  }
  flush();
  return { text: out + text.slice(cursor), kinds: [...kinds] };
}

/** Shannon entropy in bits per character: random tokens score high, words and repeated digits low. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  let length = 0;
  for (const n of counts.values()) length += n;
  for (const count of counts.values()) {
    const p = count / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
