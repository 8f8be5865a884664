/** @module ai/readAis — list and get AI instances (an AI's key sees only its own). */
import { FieldPath, type Firestore, type Timestamp } from 'firebase-admin/firestore';
import type { AiInstance } from '@memory-weaver/protocol';
import {
  AI_REGISTRY,
  aiRef,
  connectedAis,
  decodeCursor,
  encodeCursor,
  notFound,
  type Principal,
  isLive,
} from '@memory-weaver/core';
import { toAiInstance } from './record.js';

export async function getAi(db: Firestore, principal: Principal, aiUuid: string): Promise<AiInstance> {
  if (principal.kind === 'ai_key' && principal.aiUuid !== aiUuid) throw notFound('AI instance');
  const [snap, connected] = await Promise.all([aiRef(db, aiUuid).get(), connectedAis(db)]);
  const data = snap.data();
  if (!isLive(data)) throw notFound('AI instance');
  return toAiInstance(aiUuid, data, connected.has(aiUuid));
}

export async function listAis(
  db: Firestore,
  principal: Principal,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ ais: AiInstance[]; next_cursor: string | null }> {
  if (principal.kind === 'ai_key') {
    return { ais: [await getAi(db, principal, principal.aiUuid)], next_cursor: null };
  }
  let query = db
    .collection(AI_REGISTRY)
    .where('deletedAt', '==', null)
    .orderBy('createdAt', 'desc')
    .orderBy(FieldPath.documentId(), 'desc');
  if (page.cursor) {
    const { at, id } = decodeCursor(page.cursor);
    query = query.startAfter(at, id);
  }
  const [{ docs }, connected] = await Promise.all([query.limit(page.limit + 1).get(), connectedAis(db)]);
  const shown = docs.slice(0, page.limit);
  const last = shown.at(-1);
  return {
    ais: shown.map((d) => toAiInstance(d.id, d.data(), connected.has(d.id))),
    next_cursor: docs.length > page.limit && last ? encodeCursor(last.get('createdAt') as Timestamp, last.id) : null,
  };
}
