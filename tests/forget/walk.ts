/**
 * @module tests/forget/walk — every stored document a test can reach with firebase-admin: each
 * document under an AI's registry entry (all subcollections, at any depth) and each document of
 * every top-level collection, as JSON text. Sealed fields (per-AI encryption) are opened too, so a
 * canary found only inside ciphertext still counts.
 */
import type { DocumentReference, DocumentSnapshot } from 'firebase-admin/firestore';
import { AI_REGISTRY, aiRef, cipherFor, openDoc } from '@memory-weaver/core';
import { db } from '../support/emulators.js';

export interface StoredDoc {
  path: string;
  text: string;
}

async function asText(snap: DocumentSnapshot, aiUuid: string | null): Promise<string> {
  const data = snap.data() ?? {};
  let opened: unknown = null;
  if (aiUuid) {
    try {
      opened = openDoc(await cipherFor(db, aiUuid), snap.ref.path, data);
    } catch {
      // no key (an AI deleted, its key destroyed): the raw text is all there is
    }
  }
  return JSON.stringify([data, opened]);
}

async function walkDoc(ref: DocumentReference, aiUuid: string, out: StoredDoc[]): Promise<void> {
  for (const sub of await ref.listCollections()) {
    for (const doc of (await sub.get()).docs) {
      out.push({ path: doc.ref.path, text: await asText(doc, aiUuid) });
      await walkDoc(doc.ref, aiUuid, out);
    }
    // Documents that exist only as parents of subcollections.
    for (const missing of await sub.listDocuments()) await walkDoc(missing, aiUuid, out);
  }
}

/** The AI's registry entry (if any) and everything under it. */
export async function walkAi(aiUuid: string): Promise<StoredDoc[]> {
  const ref = aiRef(db, aiUuid);
  const out: StoredDoc[] = [];
  const entry = await ref.get();
  if (entry.exists) out.push({ path: ref.path, text: await asText(entry, aiUuid) });
  await walkDoc(ref, aiUuid, out);
  return out;
}

/** Every document of every top-level collection but the registry (whose AIs are walked one by one). */
export async function walkTopLevel(): Promise<StoredDoc[]> {
  const out: StoredDoc[] = [];
  for (const collection of await db.listCollections()) {
    if (collection.id === AI_REGISTRY) continue;
    for (const doc of (await collection.get()).docs) out.push({ path: doc.ref.path, text: await asText(doc, null) });
  }
  return out;
}

/** The documents whose path or text contains `needle`, by path (empty when none does). */
export const holding = (docs: StoredDoc[], needle: string): string[] =>
  docs.filter((d) => d.path.includes(needle) || d.text.includes(needle)).map((d) => d.path);
