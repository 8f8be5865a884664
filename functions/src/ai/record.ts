/** @module ai/record — an AI's registry document and its API form. */
import type { DocumentData } from 'firebase-admin/firestore';
import type { AiInstance } from '@memory-weaver/protocol';
import { databasePaths, iso, isoOrNull } from '@memory-weaver/core';

export function toAiInstance(aiUuid: string, data: DocumentData, connected = false): AiInstance {
  return {
    ai_uuid: aiUuid,
    ai_name: String(data.name),
    created_at: iso(data.createdAt),
    updated_at: iso(data.updatedAt),
    last_active_at: isoOrNull(data.lastActiveAt),
    owner: String(data.owner ?? ''),
    api_key_prefix: (data.apiKeyPrefix as string | null | undefined) ?? null,
    database_paths: databasePaths(aiUuid),
    settings: {
      instructions: typeof data.model?.instructions === 'string' ? data.model.instructions : '',
      model: typeof data.model?.model === 'string' ? data.model.model : null,
      context_tokens: typeof data.model?.contextTokens === 'number' ? data.model.contextTokens : 2_000,
    },
    connected,
  };
}

/** An AI being deleted is already gone as far as every reader is concerned. */
export const isLive = (data: DocumentData | undefined): data is DocumentData => !!data && !data.deletedAt;
