/**
 * @module crypto/cipher — one AI's loaded data keys: seal and open fields synchronously, and the
 * keyed hashes of the blind index.
 *
 * Each data-key version is 32 random bytes; two keys are derived from it with HKDF-SHA256, one
 * for AES-256-GCM and one for HMAC-SHA256 (terms of the blind index, content keys of stored
 * vectors), so a hash never shares a key with a ciphertext. Sealing always uses the current
 * version; opening uses the version the field names, so both versions open while a rotation runs.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { isSealed, openWith, sealWith, type Sealed } from './sealed.js';

interface VersionKeys {
  enc: Buffer;
  index: Buffer;
}

/** Thrown when a sealed field names a key this process can't have: destroyed (shredded) or unknown. */
export class KeyUnavailableError extends Error {
  constructor(
    readonly aiUuid: string,
    readonly kv: number,
  ) {
    super(`data key version ${kv} of this AI is not available`);
    this.name = 'KeyUnavailableError';
  }
}

const derive = (dataKey: Buffer, info: string): Buffer =>
  Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), info, 32));

export class AiCipher {
  private readonly keys = new Map<number, VersionKeys>();

  constructor(
    readonly aiUuid: string,
    /** The version new writes seal with. */
    readonly current: number,
    dataKeys: Map<number, Buffer>,
    /** The AI's choice to keep its memories' vectors in Firestore (see README.md, "What vectors reveal"). */
    readonly storeVectors = true,
  ) {
    for (const [kv, key] of dataKeys) {
      this.keys.set(kv, { enc: derive(key, 'memory-weaver/enc/v1'), index: derive(key, 'memory-weaver/index/v1') });
    }
    if (!this.keys.has(current)) throw new Error('the current data key version is not loaded');
  }

  /** The versions this cipher can open. */
  versions(): number[] {
    return [...this.keys.keys()];
  }

  seal(value: unknown, docPath: string, field: string): Sealed {
    return sealWith((this.keys.get(this.current) as VersionKeys).enc, this.current, value, docPath, field);
  }

  /** A plaintext value is returned as it is (documents stored before encryption); a sealed one is opened. */
  open(value: unknown, docPath: string, field: string): unknown {
    if (!isSealed(value)) return value;
    const keys = this.keys.get(value.kv);
    if (!keys) throw new KeyUnavailableError(this.aiUuid, value.kv);
    return openWith(keys.enc, value, docPath, field);
  }

  /** A keyed hash of a search term (the blind index) under `kv` (default: the current version). */
  term(stem: string, kv = this.current): string {
    const keys = this.keys.get(kv);
    if (!keys) throw new KeyUnavailableError(this.aiUuid, kv);
    return createHmac('sha256', keys.index).update(`term:${stem}`).digest('base64url').slice(0, 22);
  }

  /** A keyed name for a content (a stored vector's `contentKey`): an unkeyed hash would confirm a guessed content. */
  contentKey(content: string): string {
    const keys = this.keys.get(this.current) as VersionKeys;
    return createHmac('sha256', keys.index).update(`content:${content}`).digest('base64url');
  }
}

/** Opens with `cipher` when there is one; without one (an AI with no data key) a sealed value can't be read. */
export function openField(
  cipher: AiCipher | null,
  aiUuid: string,
  value: unknown,
  docPath: string,
  field: string,
): unknown {
  if (cipher) return cipher.open(value, docPath, field);
  if (isSealed(value)) throw new KeyUnavailableError(aiUuid, value.kv);
  return value;
}
