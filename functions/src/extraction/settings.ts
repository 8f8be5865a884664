/**
 * @module extraction/settings — an AI's extraction settings (stored under `extraction` in its
 * registry entry, defaults filled in) and whether extraction can run for it.
 */
import type { DocumentData } from 'firebase-admin/firestore';
import {
  DEFAULT_EXTRACTION_SETTINGS,
  ExtractionSettingsSchema,
  type ExtractionSettings,
  type ExtractionStatus,
  type UpdateExtractionSettings,
} from '@memory-weaver/protocol';
import { aiRef, notFound } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import type { LlmConfig } from '../config.js';
import { aiSettingsOf } from '../ai/record.js';

/** The stored settings over the defaults; a stored value that doesn't fit the schema falls back to its default. */
export function extractionSettingsOf(data: DocumentData | undefined): ExtractionSettings {
  const stored = (data?.extraction ?? {}) as Record<string, unknown>;
  const merged = { ...DEFAULT_EXTRACTION_SETTINGS, ...stored };
  const parsed = ExtractionSettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : DEFAULT_EXTRACTION_SETTINGS;
}

/** The model extraction asks: the AI's chat model, else the server's default; null with no model configured. */
export function extractionModel(data: DocumentData | undefined, llm: LlmConfig, hasModel: boolean): string | null {
  if (!hasModel) return null;
  return (data ? aiSettingsOf(data).model : null) ?? llm.defaultModel;
}

export function extractionStatus(data: DocumentData | undefined, llm: LlmConfig, hasModel: boolean): ExtractionStatus {
  const settings = extractionSettingsOf(data);
  const model = extractionModel(data, llm, hasModel);
  return { settings, model_configured: hasModel, model, active: settings.enabled && model !== null };
}

/** Changes some settings; answers the whole status after the change. */
export async function updateExtractionSettings(
  ctx: MutationContext,
  aiUuid: string,
  patch: UpdateExtractionSettings,
  llm: LlmConfig,
  hasModel: boolean,
): Promise<ExtractionStatus> {
  const ref = aiRef(ctx.db, aiUuid);
  return ctx.db.runTransaction(async (tx) => {
    const data = (await tx.get(ref)).data();
    if (!data || data.deletedAt) throw notFound('AI instance');
    const next = { ...extractionSettingsOf(data), ...patch };
    tx.update(ref, { extraction: next, updatedAt: ctx.clock.now() });
    const status = extractionStatus({ ...data, extraction: next }, llm, hasModel);
    ctx.record(tx, status);
    return status;
  });
}
