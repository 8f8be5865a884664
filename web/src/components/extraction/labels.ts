/** @module components/extraction/labels — how the Learning tab names decisions, statuses and reasons. */
import type { Decision, ExtractionJobStatus } from '@memory-weaver/protocol';

export const DECISION_LABEL: Record<Decision, string> = {
  added: 'added',
  duplicate: 'duplicate',
  superseded: 'superseded',
  rejected: 'rejected',
  queued: 'awaiting review',
};

export const DECISION_COLOR: Record<Decision, string> = {
  added: 'teal',
  duplicate: 'gray',
  superseded: 'blue',
  rejected: 'red',
  queued: 'yellow',
};

export const STATUS_COLOR: Record<ExtractionJobStatus, string> = {
  queued: 'gray',
  running: 'blue',
  done: 'teal',
  failed: 'red',
  skipped: 'gray',
};

/** The gate's reason codes (`too_short`, `personal_data`) as words. */
export const reasonLabel = (reason: string): string => reason.replace(/_/g, ' ');

export const when = (iso: string): string => new Date(iso).toLocaleString();
