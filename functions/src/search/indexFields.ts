/** @module search/indexFields — the search fields stored beside a memory's content. */
import { FieldValue } from 'firebase-admin/firestore';
import type { Embedder } from '../embeddings/base.js';

export interface SearchFields {
  /** A `VectorValue` (firebase-admin doesn't export the type by name); it is not a FieldValue sentinel. */
  embedding: ReturnType<typeof FieldValue.vector>;
  embeddingModel: string;
}

export async function searchFields(embedder: Embedder, content: string): Promise<SearchFields> {
  const [vector] = await embedder.embed([content]);
  return { embedding: FieldValue.vector(vector ?? []), embeddingModel: embedder.id };
}
