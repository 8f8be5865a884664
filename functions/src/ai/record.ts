/** @module ai/record — an AI's registry document and its API form. */
import type { DocumentData } from 'firebase-admin/firestore';
import type { AiInstance, AiSettings } from '@memory-weaver/protocol';
import { databasePaths, iso, isoOrNull } from '@memory-weaver/core';

/** Tokens an AI's chat context may take when its settings don't say. */
export const DEFAULT_CONTEXT_TOKENS = 2_000;

/** The chat settings stored under `model` in an AI's registry entry, with their defaults. */
export function aiSettingsOf(data: DocumentData): AiSettings {
  const m = (data.model ?? {}) as { instructions?: unknown; model?: unknown; contextTokens?: unknown };
  return {
    instructions: typeof m.instructions === 'string' ? m.instructions : '',
    model: typeof m.model === 'string' ? m.model : null,
    context_tokens: typeof m.contextTokens === 'number' ? m.contextTokens : DEFAULT_CONTEXT_TOKENS,
  };
}

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
    settings: aiSettingsOf(data),
    connected,
  };
}
