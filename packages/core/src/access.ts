/**
 * @module access — may this caller act on this AI? The one rule, used by the API and the relay.
 *
 * A key opens exactly its own AI; any other UUID gets the same "not found" as a UUID that doesn't
 * exist, so a key learns nothing about other AIs. An administrator opens any AI that is live (an
 * AI being deleted is already gone for every reader).
 */
import type { DocumentData, Firestore } from 'firebase-admin/firestore';
import { ApiError, invalidArgument, notFound } from './errors.js';
import { aiRef, apiKeyRef } from './paths.js';
import type { Principal } from './principal.js';

export interface AiTarget {
  aiUuid: string;
  aiName: string;
}

/** An AI marked deleted is gone as far as every reader is concerned. */
export const isLive = (data: DocumentData | undefined): data is DocumentData => !!data && !data.deletedAt;

export interface OpenAiOptions {
  /** The seed's endpoints name the AI too: it must be its registered name. */
  expectedName?: string | undefined;
  /**
   * Read the key's record instead of trusting the caller's earlier verification (a long-lived
   * socket, whose key may have been revoked since it connected).
   */
  recheckKey?: boolean;
}

/**
 * Opens an AI for this caller, or throws `not_found`. A key holder's AI name comes from its key
 * record (kept in step by rename), which saves a read on every AI-client call.
 */
export async function openAi(
  db: Firestore,
  principal: Principal,
  aiUuid: string,
  options: OpenAiOptions = {},
): Promise<AiTarget> {
  let aiName: string;
  if (principal.kind === 'ai_key') {
    if (principal.aiUuid !== aiUuid) throw notFound('AI instance');
    if (options.recheckKey && !(await apiKeyRef(db, principal.keyId).get()).exists) {
      throw new ApiError('key_revoked', 'this API key has been revoked or rotated');
    }
    aiName = principal.aiName;
  } else {
    // A service job acts for the one AI it was started for.
    if (principal.kind === 'service' && principal.aiUuid !== aiUuid) throw notFound('AI instance');
    const data = (await aiRef(db, aiUuid).get()).data();
    if (!isLive(data)) throw notFound('AI instance');
    aiName = String(data.name);
  }
  if (options.expectedName !== undefined && options.expectedName !== aiName) {
    throw invalidArgument('ai_name does not match the registered name of this AI', { field: 'ai_name' });
  }
  return { aiUuid, aiName };
}

/**
 * Which AI a request means when naming it is optional (chat): a key means its own AI, and naming
 * another is "not found"; an administrator must name one.
 */
export function requestedAi(principal: Principal, requested: string | undefined): string {
  if (principal.kind === 'ai_key') {
    if (requested !== undefined && requested !== principal.aiUuid) throw notFound('AI instance');
    return principal.aiUuid;
  }
  if (principal.kind === 'service') {
    if (requested !== undefined && requested !== principal.aiUuid) throw notFound('AI instance');
    return principal.aiUuid;
  }
  if (!requested) throw invalidArgument('an administrator must name the AI: give ai_uuid', { field: 'ai_uuid' });
  return requested;
}
