/**
 * @module consolidation/summaries/check — the code half of a summary's check: which pinned facts of
 * the previous summary and of the turns it adds (pinned.ts) the new summary leaves out.
 *
 * From the turns, the user's words are pinned whole; the AI's answers only for what they record as
 * decided (its own filler is not a fact of the conversation). A decision counts as kept when at
 * least two thirds of its content words are in the summary: a summary rewords, it need not quote.
 */
import type { PinnedFact } from '@memory-weaver/protocol';
import { tokenize } from '../../search/keywords.js';
import { dateKeysOf, numberKeysOf, pinnedFacts, type Pinned } from './pinned.js';

export interface CoveredTurn {
  message: string;
  response: string;
}

/** Share of a decision's content words a summary must keep. */
export const DECISION_KEPT = 2 / 3;

/** The facts a summary of `previous` plus `turns` must keep. */
export function factsToKeep(previous: string | null, turns: readonly CoveredTurn[]): Pinned[] {
  const all = [
    ...(previous ? pinnedFacts(previous) : []),
    ...turns.flatMap((t) => [...pinnedFacts(t.message), ...pinnedFacts(t.response, { decisionsOnly: true })]),
  ];
  const seen = new Set<string>();
  return all.filter((p) => {
    const id = `${p.kind}:${p.keys.join(' ')}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The facts of `pinned` that `summary` does not keep. */
export function droppedFacts(summary: string, pinned: readonly Pinned[]): PinnedFact[] {
  const lower = summary.toLowerCase();
  const numbers = numberKeysOf(summary);
  const dates = dateKeysOf(summary);
  const words = new Set(tokenize(summary));
  const kept = (p: Pinned): boolean => {
    switch (p.kind) {
      case 'name':
        return p.keys.some((k) => new RegExp(`(?<![\\p{L}\\d])${escape(k)}(?![\\p{L}\\d])`, 'u').test(lower));
      case 'number':
        return p.keys.some((k) => numbers.has(k));
      case 'date':
        return p.keys.some((k) => dates.has(k));
      case 'decision':
        return p.keys.filter((k) => words.has(k)).length >= Math.ceil(p.keys.length * DECISION_KEPT);
    }
  };
  return pinned.filter((p) => !kept(p)).map((p) => ({ kind: p.kind, text: p.text }));
}

/** The code check: the facts a new summary drops (none: it passes). */
export function checkSummary(input: {
  previous: string | null;
  turns: readonly CoveredTurn[];
  summary: string;
}): PinnedFact[] {
  return droppedFacts(input.summary, factsToKeep(input.previous, input.turns));
}
