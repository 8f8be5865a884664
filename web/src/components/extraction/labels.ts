/** @module components/extraction/labels — how the Learning tab names decisions, statuses and reasons. */
import type { Decision, ExtractionJobStatus } from '@memory-weaver/protocol';

export const DECISION_LABEL: Record<Decision, string> = {
  added: 'added',
  duplicate: 'duplicate',
  superseded: 'superseded',
  rejected: 'rejected',
  queued: 'awaiting review',
};

// Filled badges in Mantine's dark shades (9; 7 for grey), as hex: white on each reads at 4.5:1 or
// better (the default shade 6 of teal and yellow does not: axe flags it).
export const DECISION_COLOR: Record<Decision, string> = {
  added: '#087f5b',
  duplicate: '#495057',
  superseded: '#1864ab',
  rejected: '#c92a2a',
  queued: '#5f3dc4',
};

export const STATUS_COLOR: Record<ExtractionJobStatus, string> = {
  queued: '#495057',
  running: '#1864ab',
  done: '#087f5b',
  failed: '#c92a2a',
  skipped: '#495057',
};

/** The gate's reason codes (`too_short`, `personal_data`) as words. */
export const reasonLabel = (reason: string): string => reason.replace(/_/g, ' ');

export const when = (iso: string): string => new Date(iso).toLocaleString();
