/**
 * @module brain/seal — a bundle encrypted with a passphrase (jose), written as it streams.
 *
 * Format /2: JWE lines. Line 1 is a compact JWE whose key is wrapped with PBES2-HS512+A256KW (the
 * passphrase, PBKDF2 once) and whose plaintext is a random 256-bit stream key. Every further line
 * is a compact JWE (`dir`, A256GCM) under that key holding the next chunk of the NDJSON bundle
 * (about 1 MiB), its protected header numbering it (`seq` 1, 2, …) and marking the last one
 * (`last: true`). GCM authenticates each chunk with its header, so an altered byte, a chunk moved,
 * dropped, or taken from another bundle, and a stream cut after any chunk are all refused; a wrong
 * passphrase fails on line 1 (jose gives no oracle telling it from altered bytes, so neither can the
 * error). Compact JWE needs its whole plaintext, hence chunks: memory is bounded by two of them.
 *
 * Format /1 (read only): the whole NDJSON text was the plaintext of one compact JWE.
 */
import { randomBytes } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';
import { BRAIN_FORMAT, BRAIN_FORMAT_V1 } from '@memory-weaver/protocol';
import { badBundle } from './bundle.js';
import { unsupported } from './readBundle.js';

const ALG = 'PBES2-HS512+A256KW';
const ENC = 'A256GCM';
/** PBKDF2 iterations: OWASP's figure for PBKDF2-HMAC-SHA512. */
const P2C = 210_000;
/** What a bundle may ask: more would let a crafted bundle spend the server's CPU. */
const MAX_P2C = 1_000_000;
export const MIN_PASSPHRASE_CHARS = 8;
/** Plaintext per chunk line: large enough that the JWE overhead is nothing, small enough to hold two. */
export const CHUNK_BYTES = 1024 * 1024;

const JWE_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** True when the file's first line is a compact JWE (an encrypted bundle of either format). */
export function looksLikeJwe(text: string): boolean {
  const start = text.trimStart();
  const end = start.indexOf('\n');
  return JWE_PATTERN.test((end === -1 ? start : start.slice(0, end)).trim());
}

const encoder = new TextEncoder();
const passphraseKey = (passphrase: string): Uint8Array => encoder.encode(passphrase);

function chunkJwe(key: Uint8Array, seq: number, last: boolean, plaintext: string): Promise<string> {
  return new CompactEncrypt(encoder.encode(plaintext))
    .setProtectedHeader({ alg: 'dir', enc: ENC, typ: BRAIN_FORMAT, cty: 'application/x-ndjson', seq, last })
    .encrypt(key);
}

/** The bundle's lines as JWE lines (format /2), each ending in "\n". */
export async function* sealLines(lines: AsyncIterable<string>, passphrase: string): AsyncGenerator<string> {
  const key = new Uint8Array(randomBytes(32));
  yield `${await new CompactEncrypt(key)
    .setProtectedHeader({ alg: ALG, enc: ENC, typ: BRAIN_FORMAT, cty: 'memory-weaver.brain-key' })
    .setKeyManagementParameters({ p2c: P2C })
    .encrypt(passphraseKey(passphrase))}\n`;
  // One chunk is held back until the next begins: only then is it known whether it is the last.
  let pending: string | null = null;
  let current = '';
  let seq = 0;
  for await (const line of lines) {
    current += line;
    if (current.length >= CHUNK_BYTES) {
      if (pending !== null) yield `${await chunkJwe(key, ++seq, false, pending)}\n`;
      pending = current;
      current = '';
    }
  }
  if (pending !== null && current !== '') {
    yield `${await chunkJwe(key, ++seq, false, pending)}\n`;
    pending = current;
  }
  yield `${await chunkJwe(key, seq + 1, true, pending ?? current)}\n`;
}

const decryptionFailed = () =>
  badBundle(
    'decryption_failed',
    'the bundle could not be decrypted: the passphrase is wrong, or the bundle was altered or cut short',
  );

async function decrypt(jwe: string, key: Uint8Array, alg: string): Promise<Uint8Array> {
  try {
    return (
      await compactDecrypt(jwe, key, {
        keyManagementAlgorithms: [alg],
        contentEncryptionAlgorithms: [ENC],
        maxPBES2Count: MAX_P2C,
      })
    ).plaintext;
  } catch {
    throw decryptionFailed();
  }
}

const utf8 = (bytes: Uint8Array): string => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw decryptionFailed();
  }
};

/** The NDJSON text of an encrypted bundle of either format, every chunk authenticated. */
export async function openBundle(text: string, passphrase: string | undefined): Promise<string> {
  const lines = text.trim().split('\n');
  let typ: unknown;
  try {
    typ = decodeProtectedHeader(lines[0] ?? '').typ;
  } catch {
    throw badBundle('not_a_bundle', 'the encrypted bundle has no readable header: it was cut short or altered');
  }
  if (typ !== BRAIN_FORMAT && typ !== BRAIN_FORMAT_V1) throw unsupported(typ);
  if (!passphrase) {
    throw badBundle(
      'passphrase_required',
      'this bundle is encrypted: send its passphrase in the x-brain-passphrase header',
    );
  }
  if (typ === BRAIN_FORMAT_V1) {
    if (lines.length !== 1) throw decryptionFailed();
    return utf8(await decrypt(lines[0] ?? '', passphraseKey(passphrase), ALG));
  }
  const key = await decrypt(lines[0] ?? '', passphraseKey(passphrase), ALG);
  if (key.length !== 32) throw decryptionFailed();
  let out = '';
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const plaintext = utf8(await decrypt(line, key, 'dir'));
    const header = decodeProtectedHeader(line) as { seq?: unknown; last?: unknown };
    // The header is authenticated by the decryption above: a chunk moved or from another place is refused.
    if (header.seq !== i) throw decryptionFailed();
    if (header.last === true && i !== lines.length - 1) throw decryptionFailed();
    out += plaintext;
  }
  const last = lines.length > 1 ? (decodeProtectedHeader(lines.at(-1) ?? '') as { last?: unknown }).last : false;
  if (last !== true)
    throw badBundle('truncated', 'the encrypted bundle ends before its last chunk: it was cut short', {
      chunks: lines.length - 1,
    });
  return out;
}
