/**
 * @module memory/listMemories — one tier's memories, newest first, with cursor paging and filters.
 *
 * Date bounds run in Firestore (they are on the sort field, so no composite index is needed).
 * Firestore has no substring search and metadata keys are free-form (an index per key is not
 * possible), so content and metadata filters run here over pages of the ordered query, up to a
 * scan budget per request; when the budget runs out the page may be short, and `next_cursor`
 * continues the scan where it stopped.
 */
import { FieldPath, Timestamp, type Firestore, type Query } from 'firebase-admin/firestore';
import type { Memory, MemoryPage, MemoryType } from '@memory-weaver/protocol';
import { cipherForDocs, decodeCursor, encodeCursor, tierRef } from '@memory-weaver/core';
import { openedMemory } from './record.js';

const SCAN_CHUNK = 200;
const SCAN_BUDGET = 2_000;

export interface MemoryFilter {
  /** Case-insensitive substring of the content. */
  text?: string | undefined;
  /** Each key must equal its value in the memory's metadata. */
  metadata?: Record<string, unknown> | undefined;
  createdAfter?: Date | undefined;
  createdBefore?: Date | undefined;
}

export async function listMemories(
  db: Firestore,
  aiUuid: string,
  tier: MemoryType,
  page: { limit: number; cursor?: string | undefined },
  filter: MemoryFilter = {},
): Promise<MemoryPage> {
  let query: Query = tierRef(db, aiUuid, tier).orderBy('createdAt', 'desc').orderBy(FieldPath.documentId(), 'desc');
  if (filter.createdAfter) query = query.where('createdAt', '>', Timestamp.fromDate(filter.createdAfter));
  if (filter.createdBefore) query = query.where('createdAt', '<', Timestamp.fromDate(filter.createdBefore));
  let position = page.cursor ? decodeCursor(page.cursor) : undefined;

  const matches = memoryMatcher(filter);
  const memories: Memory[] = [];
  let lastMatch = position;
  let scanned = 0;
  const chunk = matches ? SCAN_CHUNK : page.limit + 1;
  for (;;) {
    const q = position ? query.startAfter(position.at, position.id) : query;
    const docs = (await q.limit(chunk).get()).docs;
    const cipher = await cipherForDocs(db, aiUuid, docs);
    for (const doc of docs) {
      if (memories.length === page.limit && lastMatch) {
        return { memories, next_cursor: encodeCursor(lastMatch.at, lastMatch.id) };
      }
      scanned += 1;
      position = { at: doc.get('createdAt') as Timestamp, id: doc.id };
      const memory = openedMemory(cipher, tier, doc);
      if (!matches || matches(memory)) {
        memories.push(memory);
        lastMatch = position;
      }
    }
    if (docs.length < chunk) return { memories, next_cursor: null };
    if (scanned >= SCAN_BUDGET && position) {
      return { memories, next_cursor: encodeCursor(position.at, position.id) };
    }
  }
}

function memoryMatcher(filter: MemoryFilter): ((m: Memory) => boolean) | null {
  const text = filter.text?.toLowerCase();
  const metadata = filter.metadata ? Object.entries(filter.metadata) : [];
  if (!text && metadata.length === 0) return null;
  return (m) =>
    (!text || m.content.toLowerCase().includes(text)) &&
    metadata.every(([key, value]) => sameValue(m.metadata[key], value));
}

/** Metadata filters from a query string arrive as strings: "42" matches 42, "true" matches true. */
function sameValue(actual: unknown, wanted: unknown): boolean {
  if (actual === wanted) return true;
  return typeof wanted === 'string' && actual !== null && typeof actual !== 'object' && String(actual) === wanted;
}

export async function getMemory(
  db: Firestore,
  aiUuid: string,
  tier: MemoryType,
  memoryId: string,
): Promise<Memory | null> {
  const snap = await tierRef(db, aiUuid, tier).doc(memoryId).get();
  if (!snap.exists) return null;
  return openedMemory(await cipherForDocs(db, aiUuid, [snap]), tier, snap);
}
