/** @module actors — how the console names who made a change. */
import type { Actor } from '@memory-weaver/protocol';

const LABELS: Record<Actor['kind'], string> = {
  admin: 'admin',
  ai_key: 'AI key',
  extraction: 'extraction',
  consolidation: 'consolidation',
  import: 'import',
};

export const actorLabel = (actor: Actor): string => LABELS[actor.kind];
