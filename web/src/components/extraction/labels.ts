/** @module components/extraction/labels — how the Learning tab names decisions, statuses and reasons. */
import type { Decision, ExtractionJobStatus } from '@memory-weaver/protocol';

export const DECISION_LABEL: Record<Decision, string> = {
  added: 'added',
  duplicate: 'duplicate',
  superseded: 'superseded',
  rejected: 'rejected',
  queued: 'awaiting review',
};

// Shade 9 (8 for grey): light badges' text and filled badges' white both read at 4.5:1 or better
// (the default shade 6 of teal and yellow does not: axe flags it).
export const DECISION_COLOR: Record<Decision, string> = {
  added: 'teal.9',
  duplicate: 'gray.8',
  superseded: 'blue.9',
  rejected: 'red.9',
  queued: 'violet.9',
};

export const STATUS_COLOR: Record<ExtractionJobStatus, string> = {
  queued: 'gray.8',
  running: 'blue.9',
  done: 'teal.9',
  failed: 'red.9',
  skipped: 'gray.8',
};

/** The gate's reason codes (`too_short`, `personal_data`) as words. */
export const reasonLabel = (reason: string): string => reason.replace(/_/g, ' ');

export const when = (iso: string): string => new Date(iso).toLocaleString();
