/**
 * @module crypto/sealed — how an encrypted field is stored, and what its ciphertext is bound to.
 *
 * A sealed field is the map `{ mwenc: 1, kv, ct }`: `kv` the AI's data-key version that sealed it,
 * `ct` the bytes `iv (12) | ciphertext | tag (16)` of AES-256-GCM over the field's JSON. The
 * associated data names the format, the key version, the document's full path and the field, so a
 * ciphertext copied into another document, another field or another AI fails to open, and so does
 * one whose `kv` was edited. A plaintext field (an AI stored before encryption, or one created with
 * encryption off) is any value that isn't this exact map: content is a string and metadata a plain
 * object, neither of which has the shape.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const SEAL_FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  mwenc: typeof SEAL_FORMAT;
  kv: number;
  ct: Uint8Array;
}

export function isSealed(value: unknown): value is Sealed {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    v.mwenc === SEAL_FORMAT && typeof v.kv === 'number' && v.ct instanceof Uint8Array && Object.keys(v).length === 3
  );
}

/** What a ciphertext is bound to (see the module comment). */
export const sealAad = (kv: number, docPath: string, field: string): Buffer =>
  Buffer.from(`mwenc:${SEAL_FORMAT}|kv:${kv}|${docPath}|${field}`, 'utf8');

export function sealWith(key: Buffer, kv: number, value: unknown, docPath: string, field: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(sealAad(kv, docPath, field));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return { mwenc: SEAL_FORMAT, kv, ct: Buffer.concat([iv, body, cipher.getAuthTag()]) };
}

/** Opens a sealed field; throws when the key, the place or the bytes don't match. */
export function openWith(key: Buffer, sealed: Sealed, docPath: string, field: string): unknown {
  const ct = Buffer.from(sealed.ct.buffer, sealed.ct.byteOffset, sealed.ct.byteLength);
  if (ct.length < IV_BYTES + TAG_BYTES) throw new Error('sealed field too short');
  const decipher = createDecipheriv('aes-256-gcm', key, ct.subarray(0, IV_BYTES));
  decipher.setAAD(sealAad(sealed.kv, docPath, field));
  decipher.setAuthTag(ct.subarray(ct.length - TAG_BYTES));
  const plain = Buffer.concat([decipher.update(ct.subarray(IV_BYTES, ct.length - TAG_BYTES)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as unknown;
}
