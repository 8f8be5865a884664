/**
 * @module maintenance/backfillEmbeddings — store a vector of the current embedder for every memory
 * that has none for its content (search/vectors.ts): memories written since writes stopped
 * embedding and not searched yet, memories written under another embedder. A cold search index
 * then reads vectors instead of embedding on its first search. Nothing of the memories changes
 * (no event, no update time): a vector is derived data in its own document.
 *
 * A memory edited while its old content is being embedded is harmless: the vector is stored with
 * the key of the content it was made from, and is never used for the new content (a later search
 * or backfill embeds that).
 */
import { FieldPath, type Firestore } from 'firebase-admin/firestore';
import { MEMORY_TYPES } from '@memory-weaver/protocol';
import { AI_REGISTRY, cipherForDocs, openDoc, tierRef } from '@memory-weaver/core';
import type { Embedder } from '../embeddings/base.js';
import { storeVectors, vectorFor, vectorsRef } from '../search/vectors.js';

const PAGE = 200;
const EMBED_BATCH = 32;

export interface BackfillResult {
  scanned: number;
  /** Memories given a vector. */
  updated: number;
}

export async function backfillEmbeddings(
  db: Firestore,
  embedder: Embedder,
  log: (line: string) => void = () => {},
  /** Only these AIs (default: all). */
  only?: string[],
): Promise<BackfillResult> {
  let scanned = 0;
  let updated = 0;
  const aiUuids = only ?? (await db.collection(AI_REGISTRY).select().get()).docs.map((d) => d.id);
  for (const aiUuid of aiUuids) {
    const vectors = vectorsRef(db, aiUuid);
    for (const tier of MEMORY_TYPES) {
      let last: string | undefined;
      for (;;) {
        let q = tierRef(db, aiUuid, tier).orderBy(FieldPath.documentId()).limit(PAGE);
        if (last) q = q.startAfter(last);
        const docs = (await q.get()).docs;
        scanned += docs.length;
        // Content is sealed at rest (core's crypto/); an AI that keeps no stored vectors gets none here.
        const cipher = await cipherForDocs(db, aiUuid, docs);
        if (cipher && !cipher.storeVectors) break;
        const stored = docs.length > 0 ? await db.getAll(...docs.map((d) => vectors.doc(d.id))) : [];
        const missing = docs
          .map((d, i) => ({ id: d.id, data: openDoc(cipher, d.ref.path, d.data()), vector: stored[i]?.data() }))
          .map(({ id, data, vector }) => ({ id, content: String(data.content ?? ''), data, vector }))
          .filter(
            (m) =>
              !vectorFor(m.data, embedder.id, m.content, cipher) &&
              !vectorFor(m.vector, embedder.id, m.content, cipher),
          );
        for (let i = 0; i < missing.length; i += EMBED_BATCH) {
          const batch = missing.slice(i, i + EMBED_BATCH);
          const made = await embedder.embed(batch.map((m) => m.content));
          await storeVectors(
            db,
            aiUuid,
            embedder.id,
            batch.map((m, j) => ({ memoryId: m.id, content: m.content, vector: made[j] ?? [] })),
            cipher,
          );
          updated += batch.length;
        }
        if (docs.length < PAGE) break;
        last = docs.at(-1)?.id;
      }
    }
    log(`${aiUuid}: ${String(updated)} memories given a vector so far`);
  }
  return { scanned, updated };
}
