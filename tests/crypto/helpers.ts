/** @module tests/crypto/helpers — reading an AI's raw documents the way someone with a copy of the database would. */
import type { DocumentData, DocumentReference } from 'firebase-admin/firestore';
import { aiRef, dataKeyRef } from '@memory-weaver/core';
import { adminIdToken, db } from '../support/emulators.js';
import { call, newAi, type AiSession } from '../support/http.js';

export interface RawDoc {
  path: string;
  data: DocumentData;
}

/** Every document under the AI's registry entry (every subcollection, recursively), the entry itself first. */
export async function rawDocs(aiUuid: string): Promise<RawDoc[]> {
  const out: RawDoc[] = [];
  const visit = async (ref: DocumentReference): Promise<void> => {
    const snap = await ref.get();
    if (snap.exists) out.push({ path: ref.path, data: snap.data() ?? {} });
    for (const col of await ref.listCollections()) {
      for (const child of await col.listDocuments()) await visit(child);
    }
  };
  await visit(aiRef(db, aiUuid));
  return out;
}

/** The raw documents, with the AI's data-key entry, as text (bytes as base64) to search for a canary in. */
export async function rawText(aiUuid: string): Promise<string> {
  const docs = await rawDocs(aiUuid);
  const keys = (await dataKeyRef(db, aiUuid).get()).data();
  return JSON.stringify([...docs, { path: 'data_keys', data: keys ?? null }], (_k, v: unknown) =>
    v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
  );
}

/**
 * A new AI with a data key whatever the server's default (MW_ENCRYPT_NEW_AIS): one created without
 * a key is given its first one by a rotation, as an AI stored before encryption would be.
 */
export async function encryptedAi(): Promise<AiSession> {
  const ai = await newAi();
  const admin = await adminIdToken();
  const status = await call('GET', `/v1/ais/${ai.ai_uuid}/encryption`, { token: admin });
  if (status.body.encrypted !== true) {
    const rotated = await call('POST', `/v1/ais/${ai.ai_uuid}/encryption/rotate-key`, { token: admin });
    if (rotated.body.rotation?.status !== 'done') throw new Error(`could not give the AI a key: ${rotated.text}`);
  }
  return ai;
}
