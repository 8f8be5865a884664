/** @module embeddings/base — the embedder port: text in, unit-length vectors out. */
export interface Embedder {
  /** Names the model, stored beside each vector so a change of embedder can be backfilled. */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
}

/** Every stored vector has this many dimensions (the vector indexes in firestore.indexes.json say so). */
export const EMBEDDING_DIMENSIONS = 512;

export function normalize(v: number[]): number[] {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}
