/**
 * @module search/searchMemories — find an AI's memories by meaning and by words.
 *
 * Two cheap candidate sets per tier: the nearest vectors (`findNearest`, cosine) and the
 * memories sharing a query term (`array-contains-any` on `terms`). They are ranked by reciprocal
 * rank fusion of vector rank and BM25 rank: raw scores of the two don't share a scale, and on
 * this offline embedder a plain blend of scores did worse than keywords alone (DESIGN.md).
 */
import { FieldValue, type DocumentData, type Firestore } from 'firebase-admin/firestore';
import type { Memory, MemoryType } from '@memory-weaver/protocol';
import { tierRef } from '@memory-weaver/core';
import { toMemory } from '../memory/record.js';
import { bm25, queryTerms, tokenize } from './keywords.js';

const RRF_K = 20;
const KEYWORD_WEIGHT = 1;
const VECTOR_WEIGHT = 0.8;

export interface Hit {
  memory: Memory;
  /** The fused rank score: only comparable within one search. */
  score: number;
  /** Cosine similarity of the memory and the query, when the memory has a vector. */
  vectorSimilarity: number | null;
  keywordScore: number | null;
}

export interface SearchQuery {
  text: string;
  vector: number[];
}

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

function vectorOf(data: DocumentData): number[] | null {
  const v = data.embedding as { toArray?: () => number[] } | undefined;
  return v?.toArray ? v.toArray() : null;
}

export async function searchTier(
  db: Firestore,
  aiUuid: string,
  tier: MemoryType,
  query: SearchQuery,
  limit: number,
): Promise<Hit[]> {
  const col = tierRef(db, aiUuid, tier);
  const terms = queryTerms(query.text);
  const [nearest, keyworded] = await Promise.all([
    col
      .findNearest({
        vectorField: 'embedding',
        queryVector: FieldValue.vector(query.vector),
        limit: Math.max(limit * 3, 10),
        distanceMeasure: 'COSINE',
      })
      .get(),
    terms.length > 0 ? col.where('terms', 'array-contains-any', terms).limit(100).get() : Promise.resolve(null),
  ]);
  const candidates = new Map<string, DocumentData>();
  for (const d of nearest.docs) candidates.set(d.id, d.data());
  for (const d of keyworded?.docs ?? []) candidates.set(d.id, d.data());
  if (candidates.size === 0) return [];

  const ids = [...candidates.keys()];
  const datas = ids.map((id) => candidates.get(id) as DocumentData);
  const queryTokens = tokenize(query.text);
  const keyword = bm25(
    queryTokens,
    datas.map((d) => (Array.isArray(d.terms) ? (d.terms as string[]) : tokenize(String(d.content ?? '')))),
  );
  const similarity = datas.map((d) => {
    const v = vectorOf(d);
    return v ? cosine(v, query.vector) : null;
  });
  const rankOf = (values: (number | null)[]) => {
    const order = values
      .map((v, i) => ({ v, i }))
      .filter((x): x is { v: number; i: number } => x.v !== null && x.v > 0)
      .sort((a, b) => b.v - a.v);
    const ranks = new Map<number, number>();
    order.forEach((x, r) => ranks.set(x.i, r + 1));
    return ranks;
  };
  const keywordRank = rankOf(keyword);
  const vectorRank = rankOf(similarity);
  return ids
    .map((id, i) => {
      const kr = keywordRank.get(i);
      const vr = vectorRank.get(i);
      const score = (kr ? KEYWORD_WEIGHT / (RRF_K + kr) : 0) + (vr ? VECTOR_WEIGHT / (RRF_K + vr) : 0);
      return {
        memory: toMemory(id, tier, datas[i] as DocumentData),
        score,
        vectorSimilarity: similarity[i] ?? null,
        keywordScore: keyword[i] ?? null,
      };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

/** Search several tiers; hits of different tiers are merged by score. */
export async function searchMemories(
  db: Firestore,
  aiUuid: string,
  tiers: MemoryType[],
  query: SearchQuery,
  limit: number,
): Promise<Hit[]> {
  const perTier = await Promise.all(tiers.map((t) => searchTier(db, aiUuid, t, query, limit)));
  return perTier
    .flat()
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}
