/**
 * @module search/queryVectors — the vectors of recent query texts, kept per embedder.
 *
 * Embedding a query with the offline embedder is ~15–20 ms of CPU on the one JavaScript thread,
 * as much as ranking 10,000 memories, and searches repeat their texts (a chat's context is
 * assembled from the same last message more than once; clients retry). A query's vector depends on
 * nothing but the embedder and the text, so it can be kept: the most recent QUERY_CACHE texts
 * (~2 KB of vector each, ~1 MB in all). Searches of one text that run at once share one embedding.
 */
import type { Embedder } from '../embeddings/base.js';

const QUERY_CACHE = 512;

const cached = new Map<string, Promise<number[]>>();

/** The query's vector (unit length; empty when the embedder gave none). */
export function queryVector(embedder: Embedder, text: string): Promise<number[]> {
  const key = `${embedder.id}\0${text}`;
  const hit = cached.get(key);
  if (hit) {
    // Most recently used last: a Map iterates in insertion order.
    cached.delete(key);
    cached.set(key, hit);
    return hit;
  }
  const made = embedder.embed([text]).then(([v]) => v ?? []);
  cached.set(key, made);
  // A failed embedding is not kept: the next search tries again.
  made.catch(() => {
    if (cached.get(key) === made) cached.delete(key);
  });
  if (cached.size > QUERY_CACHE) cached.delete(cached.keys().next().value as string);
  return made;
}
