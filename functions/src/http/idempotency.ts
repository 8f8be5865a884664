/**
 * @module http/idempotency — `Idempotency-Key`: a retried mutation returns the first result
 * and changes nothing.
 *
 * The record is written in the same commit as the mutation it describes, so there is never a
 * mutation without its record or a record without its mutation. The stored response may hold
 * a freshly issued API key, so it is encrypted with a key derived from the idempotency key,
 * which only the caller knows (the record's id is a one-way hash of it).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Timestamp, type DocumentData, type DocumentReference, type Firestore } from 'firebase-admin/firestore';
import { ApiError, IDEMPOTENCY, invalidArgument, type Principal } from '@memory-weaver/core';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const RETENTION_MS = 24 * 60 * 60 * 1000;

export interface IdempotencyScope {
  ref: DocumentReference;
  fingerprint: string;
  secret: Buffer;
  now: Date;
  /** The AI the request is about, when the route names one (forget/ finds the records by it). */
  aiUuid: string | undefined;
}

export interface StoredResult {
  status: number;
  body: unknown;
}

/** Anything that can add a document to a pending commit (a WriteBatch or a Transaction). */
export interface Writer {
  create(ref: DocumentReference, data: DocumentData): unknown;
}

export function idempotencyScope(
  db: Firestore,
  principal: Principal,
  key: string,
  request: { method: string; path: string; body: unknown; aiUuid?: string | undefined },
  now: Date,
): IdempotencyScope {
  if (!KEY_PATTERN.test(key)) {
    throw invalidArgument('Idempotency-Key must be 1-255 visible ASCII characters', { field: 'Idempotency-Key' });
  }
  const owner = principal.kind === 'admin' ? `admin:${principal.uid}` : `ai:${principal.aiUuid}`;
  const id = sha256(`record\0${owner}\0${key}`).toString('hex');
  return {
    ref: db.collection(IDEMPOTENCY).doc(id),
    fingerprint: sha256(`${request.method} ${request.path}\n${stableJson(request.body)}`).toString('hex'),
    secret: sha256(`cipher\0${owner}\0${key}`),
    now,
    aiUuid: principal.kind === 'admin' ? request.aiUuid : principal.aiUuid,
  };
}

/** The first result of this key, or null; a key reused for a different request is a 409. */
export async function findStoredResult(scope: IdempotencyScope): Promise<StoredResult | null> {
  const snap = await scope.ref.get();
  if (!snap.exists) return null;
  if (snap.get('fingerprint') !== scope.fingerprint) {
    throw new ApiError('idempotency_key_reused', 'this Idempotency-Key was already used for a different request');
  }
  // Its answer showed a memory since deleted (forget/): the request is not run again (that would
  // bring the memory back), and the content is not shown.
  if (snap.get('forgotten') === true) {
    throw new ApiError('not_found', 'the memory this request wrote has since been deleted', {
      memory_ids: snap.get('forgottenIds') as unknown,
    });
  }
  return decrypt(scope.secret, String(snap.get('payload')));
}

export function recordResult(writer: Writer, scope: IdempotencyScope | undefined, result: StoredResult): void {
  if (!scope) return;
  // The payload is opaque to the server, so the record names in clear what it is about: a deleted
  // memory's records and a deleted AI's are found and removed by these (functions/src/forget/).
  const aiUuid = scope.aiUuid ?? aiUuidOf(result.body);
  writer.create(scope.ref, {
    ...(aiUuid ? { aiUuid } : {}),
    memoryIds: memoryIdsIn(result.body),
    fingerprint: scope.fingerprint,
    payload: encrypt(scope.secret, result),
    createdAt: Timestamp.fromDate(scope.now),
    // A TTL policy on this field (see firestore.indexes.json) removes records after a day.
    expiresAt: Timestamp.fromMillis(scope.now.getTime() + RETENTION_MS),
  });
}

/** A handshake's answer names the AI it created; nothing in the request did. */
function aiUuidOf(body: unknown): string | undefined {
  const id = (body as { ai_uuid?: unknown } | null)?.ai_uuid;
  return typeof id === 'string' ? id : undefined;
}

/** The ids of the memories whose content the body carries (any object with `memory_id` and `content`). */
export function memoryIdsIn(body: unknown, out = new Set<string>(), depth = 0): string[] {
  if (body && typeof body === 'object' && depth < 8) {
    const o = body as Record<string, unknown>;
    if (typeof o.memory_id === 'string' && typeof o.content === 'string') out.add(o.memory_id);
    for (const v of Array.isArray(body) ? body : Object.values(o)) memoryIdsIn(v, out, depth + 1);
  }
  return [...out];
}

function encrypt(secret: Buffer, result: StoredResult): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(result), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

function decrypt(secret: Buffer, payload: string): StoredResult {
  const raw = Buffer.from(payload, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', secret, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  return JSON.parse(plain) as StoredResult;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/** `JSON.stringify` as it really is: the lib types hide that `undefined` (a request without a body) gives undefined. */
const stringify = JSON.stringify as (value: unknown) => string | undefined;

/** JSON with object keys sorted, so a retry that reorders keys is still the same request. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return stringify(value) ?? 'null';
}
