/**
 * @module search/searchMemories — find an AI's memories by words and meaning, over every memory
 * of the searched tiers (the AI's index on this instance, aiIndexes.ts), exact as of the latest
 * committed change.
 */
import type { MemoryType, SearchMode } from '@memory-weaver/protocol';
import type { Embedder } from '../embeddings/base.js';
import type { AiIndexes } from './aiIndexes.js';
import type { IndexHit } from './memoryIndex.js';
import type { MemoryIndex } from './memoryIndex.js';
import { queryVector } from './queryVectors.js';
import type { RetrievalRecorder } from './retrievals.js';

export type Hit = IndexHit;

export interface SearchDeps {
  indexes: AiIndexes;
  embedder: Embedder;
  /** Notes the long-term memories a search or a chat's context retrieved (retrievals.ts); absent for internal searches. */
  retrievals?: RetrievalRecorder;
}

export interface Searchable {
  index: MemoryIndex;
  /** The query's vector (unit length). */
  vector: number[];
}

/** The AI's caught-up index and the query's vector, fetched side by side. */
export async function prepareSearch(deps: SearchDeps, aiUuid: string, text: string): Promise<Searchable> {
  const [index, vector] = await Promise.all([
    deps.indexes.current(aiUuid),
    queryVector(deps.embedder, text.slice(0, 2_000)),
  ]);
  return { index, vector };
}

export async function searchMemories(
  deps: SearchDeps,
  aiUuid: string,
  tiers: readonly MemoryType[],
  text: string,
  options: { mode: SearchMode; limit: number },
): Promise<Hit[]> {
  const { index, vector } = await prepareSearch(deps, aiUuid, text);
  const hits = index.search({ text, vector, tiers, ...options });
  deps.retrievals?.note(
    aiUuid,
    hits.filter((h) => h.memory.memory_type === 'long_term_memory').map((h) => h.memory.memory_id),
  );
  return hits;
}
