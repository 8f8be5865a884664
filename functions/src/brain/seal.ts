/**
 * @module brain/seal — a bundle encrypted with a passphrase: a compact JWE (jose), key wrapped with
 * PBES2-HS512+A256KW, content A256GCM. GCM authenticates the ciphertext and the protected header,
 * so the JWE is also the bundle's signature: any altered byte fails decryption. A wrong passphrase
 * fails the same way (jose gives no oracle telling the two apart, on purpose), so the error says both.
 */
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';
import { BRAIN_FORMAT } from '@memory-weaver/protocol';
import { badBundle } from './bundle.js';

const ALG = 'PBES2-HS512+A256KW';
const ENC = 'A256GCM';
/** PBKDF2 iterations: OWASP's figure for PBKDF2-HMAC-SHA512. */
const P2C = 210_000;
/** What a bundle may ask: more would let a crafted bundle spend the server's CPU. */
const MAX_P2C = 1_000_000;
export const MIN_PASSPHRASE_CHARS = 8;

const JWE_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
export const looksLikeJwe = (text: string): boolean => JWE_PATTERN.test(text.trim());

const keyOf = (passphrase: string): Uint8Array => new TextEncoder().encode(passphrase);

export async function sealBundle(text: string, passphrase: string): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(text))
    .setProtectedHeader({ alg: ALG, enc: ENC, typ: BRAIN_FORMAT, cty: 'application/x-ndjson' })
    .setKeyManagementParameters({ p2c: P2C })
    .encrypt(keyOf(passphrase));
}

export async function openBundle(jwe: string, passphrase: string | undefined): Promise<string> {
  let typ: unknown;
  try {
    typ = decodeProtectedHeader(jwe.trim()).typ;
  } catch {
    throw badBundle('not_a_bundle', 'the encrypted bundle has no readable header: it was cut short or altered');
  }
  if (typ !== BRAIN_FORMAT) {
    throw badBundle(
      'unsupported_format',
      `unknown bundle format ${JSON.stringify(typ)}: this server reads ${BRAIN_FORMAT}`,
      {
        format: typeof typ === 'string' ? typ : null,
        supported: [BRAIN_FORMAT],
      },
    );
  }
  if (!passphrase) {
    throw badBundle(
      'passphrase_required',
      'this bundle is encrypted: send its passphrase in the x-brain-passphrase header',
    );
  }
  try {
    const { plaintext } = await compactDecrypt(jwe.trim(), keyOf(passphrase), {
      keyManagementAlgorithms: [ALG],
      contentEncryptionAlgorithms: [ENC],
      maxPBES2Count: MAX_P2C,
    });
    return new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch {
    throw badBundle(
      'decryption_failed',
      'the bundle could not be decrypted: the passphrase is wrong, or the bundle was altered or cut short',
    );
  }
}
