/** @module tiers — the four memory tiers in display order, with the names the console shows for them. */
import { MEMORY_TYPES, type MemoryType } from '@memory-weaver/protocol';

/**
 * The protocol's order is the console's order: from what the AI uses now to what it has put away.
 * The console's one value import from the protocol: it brings zod and the protocol's schemas into the
 * first chunk.
 */
export const TIERS: readonly MemoryType[] = MEMORY_TYPES;

/** Tab titles, form labels and badges: "Working memory". */
export const TIER_LABEL: Record<MemoryType, string> = {
  working_memory: 'Working memory',
  long_term_memory: 'Long-term memory',
  personal_logs: 'Personal logs',
  archive: 'Archive',
};

/** Where space is short (the AI list's count badges, the delete summary): "working". */
export const TIER_SHORT: Record<MemoryType, string> = {
  working_memory: 'working',
  long_term_memory: 'long-term',
  personal_logs: 'logs',
  archive: 'archive',
};
