/**
 * @module crypto/dataKeys — each AI's data keys, wrapped by the KEK, in `data_keys/{aiUuid}`:
 *
 *     { aiUuid, current, keys: { "<kv>": { wrapped, kek, createdAt } }, storeVectors, rotation }
 *
 * Outside `ai_registry/{aiUuid}` on purpose: a raw copy of the AI's documents does not carry the
 * key that opens them, and deleting this one document (crypto-shredding) makes every copy of them
 * unreadable, backups included. The registry entry mirrors `current` as `dataKeyVersion`, which
 * is how runChange learns, in the read it makes anyway, that a rotation began (memory/change.ts).
 *
 * Unwrapped keys are cached per process (bounded, short TTL), so a request pays one read and at
 * most one KEK call per AI; `AiCipher` then seals and opens synchronously.
 */
import { randomBytes } from 'node:crypto';
import type {
  DocumentData,
  DocumentSnapshot,
  Firestore,
  Timestamp,
  Transaction,
  WriteBatch,
} from 'firebase-admin/firestore';
import type { AiCipher } from './cipher.js';
import { AiCipher as Cipher } from './cipher.js';
import { keyVersionsOf, openSnapshot } from './fields.js';
import { kekFromEnv, type Kek } from './kek.js';

export const DATA_KEYS = 'data_keys';
export const dataKeyRef = (db: Firestore, aiUuid: string) => db.collection(DATA_KEYS).doc(aiUuid);

/** Binds a wrapped key to its AI and version: a wrapped key copied to another AI's entry doesn't unwrap. */
const wrapContext = (aiUuid: string, kv: number): string => `${DATA_KEYS}/${aiUuid}#${kv}`;

export interface WrappedKey {
  wrapped: string;
  kek: string;
  createdAt: Timestamp;
}

export async function wrapNewKey(kek: Kek, aiUuid: string, kv: number, at: Timestamp): Promise<WrappedKey> {
  const dataKey = randomBytes(32);
  return { wrapped: await kek.wrap(dataKey, wrapContext(aiUuid, kv)), kek: kek.id, createdAt: at };
}

/** Keeps the last loaded cipher of each AI a short while. */
const CACHE_TTL_MS = 60_000;
const CACHE_MAX = 2_000;

interface Cached {
  at: number;
  cipher: Promise<AiCipher | null>;
}

export class Keyring {
  private readonly cache = new Map<string, Cached>();

  constructor(
    readonly kek: Kek | null,
    /** Whether a new AI gets a data key (and so is stored encrypted): `MW_ENCRYPT_NEW_AIS` (all but "off"). */
    readonly encryptNewAis = true,
  ) {}

  private requireKek(): Kek {
    if (!this.kek) {
      throw new Error('no key-encryption key is configured (MW_KMS_KEY in production, MW_LOCAL_KEK on the emulators)');
    }
    return this.kek;
  }

  /** The first data key of a new AI, added to the batch that creates it. */
  async addFirstKey(batch: WriteBatch | Transaction, db: Firestore, aiUuid: string, at: Timestamp): Promise<number> {
    const kek = this.requireKek();
    const doc = {
      aiUuid,
      current: 1,
      keys: { '1': await wrapNewKey(kek, aiUuid, 1, at) },
      storeVectors: true,
      rotation: null,
    };
    (batch as WriteBatch).create(dataKeyRef(db, aiUuid), doc);
    return 1;
  }

  /**
   * The AI's cipher, or null when it has no data key (stored before encryption, or with encryption
   * off). `needs`: key versions the caller holds ciphertext of; a cached cipher without them is
   * reloaded (a rotation began since it was cached).
   */
  async cipherFor(db: Firestore, aiUuid: string, needs: Iterable<number> = []): Promise<AiCipher | null> {
    const hit = this.cache.get(aiUuid);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) {
      const cipher = await hit.cipher.catch(() => undefined);
      if (cipher !== undefined && covers(cipher, needs)) return cipher;
    }
    return this.reload(db, aiUuid);
  }

  /**
   * The cipher a write must seal with, given the `dataKeyVersion` the AI's registry entry names
   * (read in the writer's own transaction): a cached cipher older than that is reloaded, so no write
   * seals with a version a rotation has begun to retire (crypto/rotation in functions/).
   */
  async cipherForWrite(db: Firestore, aiUuid: string, registryVersion: unknown): Promise<AiCipher | null> {
    const wanted = Number(registryVersion ?? 0);
    const cipher = await this.cipherFor(db, aiUuid);
    if ((cipher?.current ?? 0) >= wanted) return cipher;
    return this.reload(db, aiUuid);
  }

  /** Reads and unwraps the AI's keys again. */
  reload(db: Firestore, aiUuid: string): Promise<AiCipher | null> {
    const cipher = this.load(db, aiUuid);
    this.cache.delete(aiUuid);
    this.cache.set(aiUuid, { at: Date.now(), cipher });
    if (this.cache.size > CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    cipher.catch(() => this.cache.get(aiUuid)?.cipher === cipher && this.cache.delete(aiUuid));
    return cipher;
  }

  forget(aiUuid: string): void {
    this.cache.delete(aiUuid);
  }

  private async load(db: Firestore, aiUuid: string): Promise<AiCipher | null> {
    const data = (await dataKeyRef(db, aiUuid).get()).data();
    return data ? this.unwrapAll(aiUuid, data) : null;
  }

  /** A cipher from a `data_keys` document's contents. */
  async unwrapAll(aiUuid: string, data: DocumentData): Promise<AiCipher> {
    const kek = this.requireKek();
    const keys = new Map<number, Buffer>();
    for (const [kv, w] of Object.entries(data.keys as Record<string, WrappedKey>)) {
      if (w.kek !== kek.id) throw new Error(`data key ${kv} of this AI is wrapped by another KEK (${w.kek})`);
      keys.set(Number(kv), await kek.unwrap(w.wrapped, wrapContext(aiUuid, Number(kv))));
    }
    return new Cipher(aiUuid, Number(data.current), keys, data.storeVectors !== false);
  }
}

const covers = (cipher: AiCipher | null, needs: Iterable<number>): boolean => {
  const have = new Set(cipher?.versions() ?? []);
  for (const kv of needs) if (!have.has(kv)) return false;
  return true;
};

/**
 * Crypto-shredding: the AI's wrapped data keys are deleted, so nothing sealed with them (including
 * a raw copy or a backup of its documents) can be opened again. Called first when an AI is deleted.
 * Other processes may hold the unwrapped key in their cache for up to a minute (CACHE_TTL_MS); the
 * AI is already gone to every caller by then.
 */
export async function destroyDataKey(db: Firestore, aiUuid: string): Promise<void> {
  await dataKeyRef(db, aiUuid).delete();
  processKeyring().forget(aiUuid);
}

let shared: Keyring | undefined;

/**
 * This process's keyring, built from its environment on first use (kek.ts's `kekFromEnv`). The API,
 * the relay, the tests and the benches all run with the environment scripts/emulator-env.mjs gives,
 * so each gets the same KEK without a dependency handed through every use case.
 */
export function processKeyring(): Keyring {
  // On unless turned off: every reader opens what it reads (README.md, "For other code").
  shared ??= new Keyring(kekFromEnv(process.env), (process.env.MW_ENCRYPT_NEW_AIS ?? '').trim() !== 'off');
  return shared;
}

/** The AI's cipher from this process's keyring (see `Keyring.cipherFor`). */
export const cipherFor = (db: Firestore, aiUuid: string, needs?: Iterable<number>): Promise<AiCipher | null> =>
  processKeyring().cipherFor(db, aiUuid, needs);

/**
 * The cipher that opens every sealed field of `snaps` (documents of one AI just read): the cache
 * serves it unless one of them names a key version the cached cipher lacks (a rotation began).
 * Null when the AI has no data key; opening a sealed field then fails (KeyUnavailableError).
 */
export function cipherForDocs(
  db: Firestore,
  aiUuid: string,
  snaps: readonly { ref: { path: string }; data: () => DocumentData | undefined }[],
): Promise<AiCipher | null> {
  const needs = new Set<number>();
  for (const s of snaps) for (const kv of keyVersionsOf(s.ref.path, s.data())) needs.add(kv);
  return cipherFor(db, aiUuid, needs);
}

/**
 * `snaps` (documents of one AI just read) with their sealed fields opened: `data()` and `get()`
 * give plaintext. The one call a reader outside runChange needs (see README.md, "For other code").
 */
export async function openSnapshots<S extends DocumentSnapshot>(
  db: Firestore,
  aiUuid: string,
  snaps: readonly S[],
): Promise<S[]> {
  const cipher = await cipherForDocs(db, aiUuid, snaps);
  return snaps.map((s) => openSnapshot(cipher, s));
}
