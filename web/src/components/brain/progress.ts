/** @module components/brain/progress — an import's progress as the AI's event stream tells it. */
import type { ImportEventInfo, MemoryEvent } from '@memory-weaver/protocol';

export interface ImportProgressState extends ImportEventInfo {
  phase: 'started' | 'progress' | 'finished' | 'failed';
}

/** The progress an event reports, or null for events that aren't an import's. */
export function importProgressOf(e: Pick<MemoryEvent, 'type' | 'import'>): ImportProgressState | null {
  if (!e.import || !e.type.startsWith('import_')) return null;
  return { ...e.import, phase: e.type.slice('import_'.length) as ImportProgressState['phase'] };
}
