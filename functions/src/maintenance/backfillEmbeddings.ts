/**
 * @module maintenance/backfillEmbeddings — give every memory the search fields of the current
 * embedder: memories written before semantic search existed, or under another embedder. Only the
 * search fields change (not content, metadata or provenance), so no memory event is written.
 *
 * A memory is read, embedded (which takes a while: a model call with the OpenAI embedder), then
 * written. An edit in between brings its own, fresh search fields; writing ours then would pair
 * the new content with the old content's vector and terms. So each write holds only if the
 * memory's update time is still the one read (a `lastUpdateTime` precondition, checked by
 * Firestore at the write); a memory changed or deleted meanwhile is skipped, and counted. Running
 * the backfill again picks up any skipped memory that is still stale (a metadata-only edit, say).
 */
import { FieldPath, type Firestore, type QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { MEMORY_TYPES } from '@memory-weaver/protocol';
import { AI_REGISTRY, GRPC, grpcCode, tierRef } from '@memory-weaver/core';
import type { Embedder } from '../embeddings/base.js';
import { searchFields } from '../search/indexFields.js';

const PAGE = 200;

export interface BackfillResult {
  scanned: number;
  updated: number;
  /** Changed or deleted between their read and their write: left as the change left them. */
  skipped: number;
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
  let skipped = 0;
  // Kept, not thrown at once: an unexpected write failure ends the run after the writer is closed.
  const failures: Error[] = [];
  const settled: Promise<void>[] = [];
  const writer = db.bulkWriter();
  // The whole update is one document write: it can't leave a half-indexed memory.
  const write = (d: QueryDocumentSnapshot, fields: object) => {
    const outcome = writer.update(d.ref, { ...fields }, { lastUpdateTime: d.updateTime }).then(
      () => {
        updated += 1;
      },
      (err: unknown) => {
        const code = grpcCode(err);
        if (code === GRPC.FAILED_PRECONDITION || code === GRPC.NOT_FOUND) skipped += 1;
        else failures.push(err instanceof Error ? err : new Error(String(err)));
      },
    );
    settled.push(outcome);
  };
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
        for (const d of stale) write(d, await searchFields(embedder, String(d.get('content') ?? '')));
        if (docs.length < PAGE) break;
        last = docs[docs.length - 1]?.id;
      }
      if (settled.length > 0) log(`${aiUuid}/${tier}: ${settled.length} re-embedded so far`);
    }
  }
  await writer.close();
  await Promise.all(settled);
  if (failures[0]) throw failures[0];
  return { scanned, updated, skipped };
}
