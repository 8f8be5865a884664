/** @module ai/access — may this principal act on this AI? Answers "not found" for AIs it can't see. */
import type { Firestore } from 'firebase-admin/firestore';
import { aiRef, invalidArgument, notFound, type Principal } from '@memory-weaver/core';
import { isLive } from './record.js';

export interface AiTarget {
  aiUuid: string;
  aiName: string;
}

/**
 * A key opens exactly its own AI; any other UUID gets the same 404 as a UUID that doesn't
 * exist, so a key learns nothing about other AIs. A key holder's AI name comes from its
 * key record (kept in step by rename), which saves a read on every AI-client call.
 */
export async function resolveAi(
  db: Firestore,
  principal: Principal,
  aiUuid: string,
  expectedName?: string,
): Promise<AiTarget> {
  let aiName: string;
  if (principal.kind === 'ai_key') {
    if (principal.aiUuid !== aiUuid) throw notFound('AI instance');
    aiName = principal.aiName;
  } else {
    const data = (await aiRef(db, aiUuid).get()).data();
    if (!isLive(data)) throw notFound('AI instance');
    aiName = String(data.name);
  }
  if (expectedName !== undefined && expectedName !== aiName) {
    throw invalidArgument('ai_name does not match the registered name of this AI', { field: 'ai_name' });
  }
  return { aiUuid, aiName };
}
