/** @module embeddings/openai — OpenAI embeddings (or any compatible server), asked for 512 dimensions. */
import type OpenAI from 'openai';
import { EMBEDDING_DIMENSIONS, normalize, type Embedder } from './base.js';

export function createOpenAIEmbedder(client: OpenAI, model = 'text-embedding-3-small'): Embedder {
  return {
    id: `openai:${model}:${EMBEDDING_DIMENSIONS}`,
    dimensions: EMBEDDING_DIMENSIONS,
    async embed(texts) {
      if (texts.length === 0) return [];
      const res = await client.embeddings.create({ model, input: texts, dimensions: EMBEDDING_DIMENSIONS });
      return res.data.sort((a, b) => a.index - b.index).map((d) => normalize(d.embedding));
    },
  };
}
