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

export type Hit = IndexHit;

export interface SearchDeps {
  indexes: AiIndexes;
  embedder: Embedder;
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
  return index.search({ text, vector, tiers, ...options });
}
