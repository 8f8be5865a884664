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
import { cipherFor, cipherForDocs, decodeCursor, encodeCursor, tierRef } from '@memory-weaver/core';
import { tokenize } from '../search/keywords.js';
import { openedMemory } from './record.js';

const SCAN_CHUNK = 200;
const SCAN_BUDGET = 2_000;
/** Firestore's limit on the values of one `array-contains-any`. */
const ARRAY_CONTAINS_ANY_MAX = 30;

export interface MemoryFilter {
  /** Case-insensitive substring of the content. */
  text?: string | undefined;
  /**
   * Words the content must all contain, in any form search matches (stems). For an encrypted AI
   * Firestore finds the candidates through the blind index (`terms`, core's crypto/fields.ts),
   * so the scan reads only memories that hold one of the words, however large the tier.
   */
  keyword?: string | undefined;
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
  const words = filter.keyword !== undefined ? [...new Set(tokenize(filter.keyword))] : [];
  if (words.length > 0) {
    const cipher = await cipherFor(db, aiUuid);
    // Hashed under every key version the AI has: during a rotation memories carry either.
    const hashes = cipher ? words.flatMap((w) => cipher.versions().map((kv) => cipher.term(w, kv))) : [];
    if (hashes.length > 0 && hashes.length <= ARRAY_CONTAINS_ANY_MAX) {
      query = query.where('terms', 'array-contains-any', hashes);
    }
  }
  let position = page.cursor ? decodeCursor(page.cursor) : undefined;

  const matches = memoryMatcher(filter, words);
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

function memoryMatcher(filter: MemoryFilter, words: string[]): ((m: Memory) => boolean) | null {
  const text = filter.text?.toLowerCase();
  const metadata = filter.metadata ? Object.entries(filter.metadata) : [];
  if (!text && metadata.length === 0 && words.length === 0 && filter.keyword === undefined) return null;
  return (m) =>
    (!text || m.content.toLowerCase().includes(text)) &&
    (filter.keyword === undefined || hasWords(m.content, words)) &&
    metadata.every(([key, value]) => sameValue(m.metadata[key], value));
}

/** Whether the content holds every word (as stems); a keyword of stopwords alone matches nothing. */
function hasWords(content: string, words: string[]): boolean {
  if (words.length === 0) return false;
  const stems = new Set(tokenize(content));
  return words.every((w) => stems.has(w));
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
