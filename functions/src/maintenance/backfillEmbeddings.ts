/**
 * @module maintenance/backfillEmbeddings — give every memory the search fields of the current
 * embedder: memories written before semantic search existed, or under another embedder. Only the
 * search fields change (not content, metadata or provenance), so no memory event is written.
 */
import { FieldPath, type Firestore } from 'firebase-admin/firestore';
import { MEMORY_TYPES } from '@memory-weaver/protocol';
import { AI_REGISTRY, tierRef } from '@memory-weaver/core';
import type { Embedder } from '../embeddings/base.js';
import { searchFields } from '../search/indexFields.js';

const PAGE = 200;

export async function backfillEmbeddings(
  db: Firestore,
  embedder: Embedder,
  log: (line: string) => void = () => {},
  /** Only these AIs (default: all). */
  only?: string[],
): Promise<{ scanned: number; updated: number }> {
  let scanned = 0;
  let updated = 0;
  const writer = db.bulkWriter();
  const aiUuids = only ?? (await db.collection(AI_REGISTRY).select().get()).docs.map((d) => d.id);
  for (const aiUuid of aiUuids) {
    for (const tier of MEMORY_TYPES) {
      let last: string | undefined;
      for (;;) {
        let q = tierRef(db, aiUuid, tier)
          .orderBy(FieldPath.documentId())
          .select('content', 'embeddingModel')
          .limit(PAGE);
        if (last) q = q.startAfter(last);
        const docs = (await q.get()).docs;
        scanned += docs.length;
        const stale = docs.filter((d) => d.get('embeddingModel') !== embedder.id);
        for (const d of stale) {
          // The whole update is one document write: it can't leave a half-indexed memory.
          void writer.update(d.ref, { ...(await searchFields(embedder, String(d.get('content') ?? ''))) });
          updated += 1;
        }
        if (docs.length < PAGE) break;
        last = docs[docs.length - 1]?.id;
      }
      if (updated > 0) log(`${aiUuid}/${tier}: ${updated} updated so far`);
    }
  }
  await writer.close();
  return { scanned, updated };
}
