/**
 * @module keyCache — verified API key records, kept briefly in this process so that an AI
 * client's writes need no read to authenticate (a point read costs more than the whole commit on
 * the emulator, and is billed in production).
 *
 * Safe because every write made with a cached key carries an `update` of the key's own document
 * in its commit: revoking or rotating deletes that document, so the commit fails and the caller
 * is re-authenticated from Firestore (see http/route.ts). Reads never use the cache.
 */
export interface KeyRecord {
  secretHash: string;
  aiUuid: string;
  aiName: string;
}

export interface KeyCache {
  get(keyId: string): KeyRecord | undefined;
  set(keyId: string, record: KeyRecord): void;
  delete(keyId: string): void;
}

export function createKeyCache(options: { ttlMs: number; maxEntries: number }): KeyCache {
  const entries = new Map<string, { record: KeyRecord; expires: number }>();
  return {
    get(keyId) {
      const entry = entries.get(keyId);
      if (!entry) return undefined;
      if (entry.expires <= Date.now()) {
        entries.delete(keyId);
        return undefined;
      }
      return entry.record;
    },
    set(keyId, record) {
      entries.delete(keyId);
      // Map iteration order is insertion order: the first key is the oldest.
      if (entries.size >= options.maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(keyId, { record, expires: Date.now() + options.ttlMs });
    },
    delete(keyId) {
      entries.delete(keyId);
    },
  };
}

/** A cache that holds nothing: every call reads Firestore. */
export const noKeyCache: KeyCache = { get: () => undefined, set: () => undefined, delete: () => undefined };
