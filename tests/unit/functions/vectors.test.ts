import { describe, expect, it } from 'vitest';
import { contentKey, packVector, vectorFor } from '../../../functions/src/search/vectors.js';

describe('stored vectors', () => {
  const vector = [0.5, -0.25, 0.125, 1e-7];
  const packed = packVector(vector);

  it('packs a vector as little-endian float32 and reads it back', () => {
    expect(packed).toHaveLength(16);
    expect(packed.readFloatLE(4)).toBe(-0.25);
    const read = vectorFor({ packed, embeddingModel: 'm', contentKey: contentKey('text') }, 'm', 'text');
    expect(Array.from(read ?? [])).toEqual(Array.from(Float32Array.from(vector)));
  });

  it('reads packed bytes that sit at an odd offset of a larger buffer (as a decoded message hands them over)', () => {
    const larger = Buffer.alloc(packed.length + 7);
    packed.copy(larger, 3);
    const view = larger.subarray(3, 3 + packed.length);
    const read = vectorFor({ packed: view, embeddingModel: 'm', contentKey: contentKey('text') }, 'm', 'text');
    expect(Array.from(read ?? [])).toEqual(Array.from(Float32Array.from(vector)));
  });

  it('gives no vector made from other content or by another model', () => {
    const doc = { packed, embeddingModel: 'm', contentKey: contentKey('old text') };
    expect(vectorFor(doc, 'm', 'new text')).toBeNull();
    expect(vectorFor(doc, 'other-model', 'old text')).toBeNull();
    expect(vectorFor(undefined, 'm', 'old text')).toBeNull();
  });

  it('reads a vector kept in a memory document by older writes (no content key: an edit clears it)', () => {
    const legacy = { embeddingModel: 'm', embedding: { toArray: () => vector } };
    expect(Array.from(vectorFor(legacy, 'm', 'anything') ?? [])).toEqual(Array.from(Float32Array.from(vector)));
  });
});
