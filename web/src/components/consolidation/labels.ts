/** @module components/consolidation/labels — words and colours for runs, shared by the panel's parts. */
import type { ConsolidationRun } from '@memory-weaver/protocol';

// Dark shades: a light badge with a light text colour fails contrast (axe).
export const STATUS_COLOR: Record<ConsolidationRun['status'], string> = {
  planned: '#1864ab',
  running: '#5f3dc4',
  partial: '#e67700',
  done: '#087f5b',
  stopped: '#c92a2a',
  undone: '#495057',
};

const EXTRACTION: Record<ConsolidationRun['extraction']['status'], string> = {
  planned: 'will be queued for extraction before they move',
  queued: 'were queued for extraction before they moved',
  off: 'move unextracted: extraction is off for this AI',
  no_model: 'move unextracted: no model is configured',
  none_needed: '',
};

export function extractionLine(run: ConsolidationRun): string | null {
  const e = run.extraction;
  if (e.status === 'none_needed') return null;
  return `${String(e.entries)} ${e.entries === 1 ? 'entry' : 'entries'} written through the API ${EXTRACTION[e.status]}.`;
}

const REASON: Record<string, string> = {
  reflections_off: 'reflections are off',
  no_model: 'no model is configured',
  nothing_new: 'nothing new in the period',
  model_empty: 'the model had nothing to say',
};

export function reflectionLine(run: ConsolidationRun): string {
  const r = run.reflection;
  const sources = `${String(r.sources.length)} ${r.sources.length === 1 ? 'memory' : 'memories'}`;
  switch (r.status) {
    case 'planned':
      return `A reflection will be written from ${sources}.`;
    case 'written':
      return `Reflection written (${r.memory_id ?? ''}), drawing on ${sources}.`;
    case 'undone':
      return 'Its reflection was deleted by the undo.';
    case 'failed':
      return `No reflection: the model failed (${r.reason ?? 'unknown'}).`;
    default:
      return `No reflection: ${REASON[r.reason ?? ''] ?? r.reason ?? 'skipped'}.`;
  }
}
