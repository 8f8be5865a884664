/**
 * @module search/vectors — memories' vectors, stored beside the AI's tiers in
 * `ai_registry/{ai_uuid}/vectors/{memory_id}`: `{ embedding, packed, embeddingModel, contentKey }`.
 *
 * Writes don't embed (it was half of a create's time): a memory's vector is made by the first
 * search that meets the memory (aiIndexes.ts) or by `npm run backfill-embeddings`, and stored here
 * so a cold instance reads it instead of embedding again. A vector is derived data, not a change
 * of the memory: it has its own document (the memory's update time and event log are untouched),
 * and it names the content it was made from (`contentKey`, a SHA-256), so a vector made from
 * content that an edit has replaced since is never used for the new content.
 *
 * Each vector is stored twice: `embedding`, a Firestore vector (what `findNearest` and a vector
 * index need, should an AI outgrow one instance: README, "Search at scale"), and `packed`, the same
 * numbers as little-endian float32 bytes, which is what a cold index reads (with a field mask): a
 * Firestore vector is 512 doubles each decoded on its own, and reading 10,000 of them took the
 * emulator 5.7 s, most of a cold build.
 *
 * Memories written before this module kept their vector in the memory document (`embedding`,
 * `embeddingModel`); an edit clears those fields, so where they remain they match the content.
 */
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { FieldValue, type CollectionReference, type DocumentData, type Firestore } from 'firebase-admin/firestore';
import { aiRef, type AiCipher } from '@memory-weaver/core';

export const VECTORS = 'vectors';

export const vectorsRef = (db: Firestore, aiUuid: string): CollectionReference => aiRef(db, aiUuid).collection(VECTORS);

/**
 * Names a content: a stored vector is used only for the content it was made from. For an AI with a
 * data key the name is keyed (an HMAC, crypto/cipher.ts): a plain SHA-256 would let anyone holding
 * the documents confirm a guessed content. Unkeyed names (vectors stored before encryption) still match.
 */
export const contentKey = (content: string, cipher: AiCipher | null = null): string =>
  cipher ? cipher.contentKey(content) : createHash('sha256').update(content).digest('base64url');

export interface StoredVector {
  memoryId: string;
  content: string;
  vector: number[];
}

/** Writes at most this many vectors per batch: 500 writes, well under the emulator's 4 MiB message. */
const WRITE_BATCH = 400;

export async function storeVectors(
  db: Firestore,
  aiUuid: string,
  model: string,
  items: StoredVector[],
  cipher: AiCipher | null = null,
): Promise<void> {
  const col = vectorsRef(db, aiUuid);
  for (let i = 0; i < items.length; i += WRITE_BATCH) {
    const batch = db.batch();
    for (const item of items.slice(i, i + WRITE_BATCH)) {
      batch.set(col.doc(item.memoryId), {
        embedding: FieldValue.vector(item.vector),
        packed: packVector(item.vector),
        embeddingModel: model,
        contentKey: contentKey(item.content, cipher),
      });
    }
    await batch.commit();
  }
}

/** The fields a cold index reads of a vector document (a field mask: `embedding` stays on the server). */
export const PACKED_FIELDS = ['packed', 'embeddingModel', 'contentKey'] as const;

/** A vector as little-endian float32 bytes. */
export function packVector(vector: number[]): Buffer {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => bytes.writeFloatLE(x, i * 4));
  return bytes;
}

/** float32 bytes are stored little-endian; on a little-endian machine they are copied as they are. */
const LITTLE_ENDIAN = endianness() === 'LE';

function unpack(bytes: Uint8Array): Float32Array {
  // A copy, aligned to 4 bytes: the bytes may sit at any offset of a larger buffer (a Buffer's
  // slice() is a view of that buffer, not a copy; the Uint8Array constructor copies).
  if (LITTLE_ENDIAN) return new Float32Array(new Uint8Array(bytes).buffer, 0, bytes.length / 4);
  const out = new Float32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** A stored vector of `model` made from exactly `content`, from a vector document or a legacy memory document. */
export function vectorFor(
  data: DocumentData | undefined,
  model: string,
  content: string,
  cipher: AiCipher | null = null,
): Float32Array | null {
  if (data?.embeddingModel !== model) return null;
  const key: unknown = data.contentKey;
  if (key !== undefined && key !== contentKey(content) && (!cipher || key !== contentKey(content, cipher))) return null;
  if (data.packed instanceof Uint8Array) return unpack(data.packed);
  const v = data.embedding as { toArray?: () => number[] } | undefined;
  return typeof v?.toArray === 'function' ? Float32Array.from(v.toArray()) : null;
}
