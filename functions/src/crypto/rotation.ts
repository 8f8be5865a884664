/**
 * @module crypto/rotation — rotating an AI's data key with no downtime and no lost write.
 *
 * 1. `beginRotation` (one transaction): a new version n + 1 is wrapped and stored beside the old
 *    ones in `data_keys/{ai}`, becomes `current`, and the registry's `dataKeyVersion` says so. From
 *    that commit on every change seals with n + 1: runChange reads the registry anyway and reloads
 *    a cipher older than it, and a change in flight that read the registry before fails its
 *    registry guard and runs again (memory/change.ts). Reads open both versions.
 * 2. `continueRotation`: the AI's sealed documents (tiers, events, versions, extraction jobs, review
 *    items, summary jobs, sessions, turns) are
 *    re-encrypted in batches of BATCH, collection by collection in document-id order. Each batch is
 *    one transaction that reads its documents, rewrites those not yet sealed with n + 1 (plaintext
 *    of an AI stored before it had a key included), and moves the job's cursor in `data_keys`. A
 *    transaction can't lose a concurrent change's write: Firestore serialises it with the change's
 *    own transaction. A rewrite is not a change of the memory, so it writes no event and no version
 *    (content, metadata and update time stay as they were; only the ciphertext differs).
 *    The cursor moving in the same commit makes the job resumable: a request cut short, or two
 *    runners at once, continue exactly where the last committed batch ended.
 * 3. When the last collection is done, the retired versions are deleted from `data_keys`.
 *
 * The job runs inside the request that starts it, up to a time budget; `POST …/rotate-key` again
 * continues an unfinished one, and `GET …/encryption` shows where it stands.
 */
import { FieldPath, FieldValue, Timestamp, type CollectionReference, type Firestore } from 'firebase-admin/firestore';
import { MEMORY_TYPES, type EncryptionStatus, type KeyRotation } from '@memory-weaver/protocol';
import {
  EVENTS,
  aiRef,
  conflict,
  dataKeyRef,
  isLive,
  iso,
  isoOrNull,
  notFound,
  openDoc,
  processKeyring,
  sealDoc,
  sealedFieldsOf,
  sealedWith,
  wrapNewKey,
  type AiCipher,
} from '@memory-weaver/core';
import { tokenize } from '../search/keywords.js';

/** Documents re-encrypted per transaction: well under Firestore's 500 writes and the emulator's 4 MiB. */
const BATCH = 100;
/** The collections of an AI whose documents hold sealed fields, in the order the job takes them. */
const PHASES = [
  ...MEMORY_TYPES,
  EVENTS,
  'versions',
  'extractions',
  'review',
  'summary_jobs',
  'chat_sessions',
  'chats',
] as const;
type Phase = (typeof PHASES)[number];

interface RotationDoc {
  status: 'running' | 'done';
  to: number;
  from: number[];
  startedAt: Timestamp;
  finishedAt: Timestamp | null;
  rewritten: number;
  phase: Phase;
  /** The last document id done in the phase's collection (null: from its start). */
  after: string | null;
  /** In the `chats` phase: the session whose turns are being done. */
  session: string | null;
}

export async function encryptionStatus(db: Firestore, aiUuid: string): Promise<EncryptionStatus> {
  const data = (await dataKeyRef(db, aiUuid).get()).data();
  const r = (data?.rotation ?? null) as RotationDoc | null;
  return {
    ai_uuid: aiUuid,
    encrypted: data !== undefined,
    key_version: data ? Number(data.current) : 0,
    store_vectors: data?.storeVectors !== false,
    rotation: r ? toRotation(r) : null,
  };
}

const toRotation = (r: RotationDoc): KeyRotation => ({
  status: r.status,
  to_version: r.to,
  from_versions: r.from,
  started_at: iso(r.startedAt),
  finished_at: isoOrNull(r.finishedAt),
  rewritten: r.rewritten,
  phase: r.status === 'done' ? 'done' : r.phase,
});

/**
 * Starts a rotation to a new data-key version, or does nothing while one is running (its job is
 * continued instead). An AI without a key (stored before encryption) gets its first one, and the
 * job encrypts what it stored in plaintext: this is also the migration of such an AI.
 */
export async function beginRotation(db: Firestore, aiUuid: string, now: Date): Promise<void> {
  const keyring = processKeyring();
  const kek = keyring.kek;
  if (!kek) throw new Error('no key-encryption key is configured');
  const at = Timestamp.fromDate(now);
  await db.runTransaction(async (tx) => {
    const [registry, keys] = await tx.getAll(aiRef(db, aiUuid), dataKeyRef(db, aiUuid));
    if (!isLive(registry?.data())) throw notFound('AI instance');
    const data = keys?.data();
    if ((data?.rotation as RotationDoc | null | undefined)?.status === 'running') return;
    const versions = data ? Object.keys(data.keys as object).map(Number) : [];
    const to = Math.max(0, ...versions) + 1;
    const rotation: RotationDoc = {
      status: 'running',
      to,
      from: data ? versions : [0],
      startedAt: at,
      finishedAt: null,
      rewritten: 0,
      phase: PHASES[0],
      after: null,
      session: null,
    };
    const wrapped = await wrapNewKey(kek, aiUuid, to, at);
    if (data) {
      tx.update(dataKeyRef(db, aiUuid), { [`keys.${String(to)}`]: wrapped, current: to, rotation });
    } else {
      tx.create(dataKeyRef(db, aiUuid), {
        aiUuid,
        current: to,
        keys: { [String(to)]: wrapped },
        storeVectors: true,
        rotation,
      });
    }
    // The registry names the version writes use: see memory/change.ts (changeCipher).
    tx.update(aiRef(db, aiUuid), { dataKeyVersion: to });
  });
  keyring.forget(aiUuid);
}

/** Runs the job's batches until it is done or `budgetMs` has passed; true when done. */
export async function continueRotation(db: Firestore, aiUuid: string, budgetMs: number): Promise<boolean> {
  const until = Date.now() + budgetMs;
  for (;;) {
    const done = await step(db, aiUuid);
    if (done) return true;
    if (Date.now() >= until) return false;
  }
}

function collectionOf(db: Firestore, aiUuid: string, r: RotationDoc): CollectionReference | null {
  if (r.phase !== 'chats') return aiRef(db, aiUuid).collection(r.phase);
  return r.session ? aiRef(db, aiUuid).collection('chat_sessions').doc(r.session).collection('chats') : null;
}

/** One batch of the job; true when the job is (now) done or there is none. */
async function step(db: Firestore, aiUuid: string): Promise<boolean> {
  const planned = (await dataKeyRef(db, aiUuid).get()).data()?.rotation as RotationDoc | null | undefined;
  if (planned?.status !== 'running') return true;
  if (planned.phase === 'chats' && planned.session === null) {
    return advanceSession(db, aiUuid, planned);
  }
  const col = collectionOf(db, aiUuid, planned) as CollectionReference;
  let q = col.orderBy(FieldPath.documentId()).select().limit(BATCH);
  if (planned.after) q = q.startAfter(planned.after);
  const refs = (await q.get()).docs.map((d) => d.ref);
  const cipher = (await processKeyring().cipherFor(db, aiUuid, [planned.to])) as AiCipher;
  if (cipher.current !== planned.to) return false;
  const full = refs.length === BATCH;
  const next: Partial<RotationDoc> = full
    ? { after: refs.at(-1)?.id ?? null }
    : planned.phase === 'chats'
      ? { after: null }
      : nextPhase(planned.phase);
  await db.runTransaction(async (tx) => {
    const current = (await tx.get(dataKeyRef(db, aiUuid))).data()?.rotation as RotationDoc | null | undefined;
    // Another runner moved the cursor since it was read: this batch is theirs now.
    if (!sameCursor(current, planned)) return;
    const docs = refs.length > 0 ? await tx.getAll(...refs) : [];
    let rewritten = 0;
    for (const doc of docs) {
      const data = doc.data();
      const spec = sealedFieldsOf(doc.ref.path);
      if (!data || !spec || sealedWith(doc.ref.path, data, planned.to)) continue;
      const opened = openDoc(cipher, doc.ref.path, data);
      const fields: Record<string, unknown> = {};
      for (const f of spec.fields) if (opened[f] !== undefined && opened[f] !== null) fields[f] = opened[f];
      tx.update(doc.ref, sealDoc(cipher, doc.ref.path, fields, tokenize));
      rewritten += 1;
    }
    tx.update(dataKeyRef(db, aiUuid), {
      rotation: { ...planned, ...next, rewritten: planned.rewritten + rewritten },
    });
  });
  if (!full && planned.phase === 'chats') {
    return advanceSession(db, aiUuid, { ...planned, after: null });
  }
  return false;
}

const nextPhase = (phase: Phase): Partial<RotationDoc> => ({
  phase: PHASES[PHASES.indexOf(phase) + 1] ?? 'chats',
  after: null,
  session: null,
});

const sameCursor = (a: RotationDoc | null | undefined, b: RotationDoc): boolean =>
  a?.status === 'running' && a.to === b.to && a.phase === b.phase && a.after === b.after && a.session === b.session;

/** In the `chats` phase: on to the next session's turns, or the end of the job. */
async function advanceSession(db: Firestore, aiUuid: string, planned: RotationDoc): Promise<boolean> {
  let q = aiRef(db, aiUuid).collection('chat_sessions').orderBy(FieldPath.documentId()).select().limit(1);
  if (planned.session) q = q.startAfter(planned.session);
  const next = (await q.get()).docs[0]?.id ?? null;
  return db
    .runTransaction(async (tx) => {
      const current = (await tx.get(dataKeyRef(db, aiUuid))).data()?.rotation as RotationDoc | null | undefined;
      if (current?.status !== 'running' || current.to !== planned.to || current.session !== planned.session) {
        return current?.status !== 'running';
      }
      if (next) {
        tx.update(dataKeyRef(db, aiUuid), { rotation: { ...current, session: next, after: null } });
        return false;
      }
      // Done: the retired versions are destroyed; nothing sealed with them is left.
      const retired = Object.fromEntries(
        current.from.filter((v) => v !== current.to && v !== 0).map((v) => [`keys.${String(v)}`, FieldValue.delete()]),
      );
      tx.update(dataKeyRef(db, aiUuid), {
        ...retired,
        rotation: { ...current, status: 'done', finishedAt: Timestamp.now() },
      });
      return true;
    })
    .finally(() => processKeyring().forget(aiUuid));
}

/** Turns stored vectors on or off; off also deletes the vectors stored so far. */
export async function setStoreVectors(db: Firestore, aiUuid: string, on: boolean): Promise<void> {
  await db.runTransaction(async (tx) => {
    const snap = await tx.get(dataKeyRef(db, aiUuid));
    if (!snap.exists)
      throw conflict('this AI has no data key: rotate its key first to encrypt it', { field: 'store_vectors' });
    tx.update(snap.ref, { storeVectors: on });
  });
  processKeyring().forget(aiUuid);
  if (on) return;
  const vectors = aiRef(db, aiUuid).collection('vectors');
  for (;;) {
    const docs = (await vectors.select().limit(400).get()).docs;
    if (docs.length === 0) return;
    const batch = db.batch();
    for (const d of docs) batch.delete(d.ref);
    await batch.commit();
  }
}
