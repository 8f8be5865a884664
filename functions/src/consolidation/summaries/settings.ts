/**
 * @module consolidation/summaries/settings — an AI's session-summary settings, stored under
 * `summaries` in its registry entry with the defaults filled in, and the status the API shows.
 */
import type { DocumentData, Firestore } from 'firebase-admin/firestore';
import {
  DEFAULT_SUMMARY_SETTINGS,
  SummarySettingsSchema,
  type SummaryCounts,
  type SummarySettings,
  type SummaryStatus,
  type UpdateSummarySettings,
} from '@memory-weaver/protocol';
import { aiRef, notFound } from '@memory-weaver/core';
import type { LlmConfig } from '../../config.js';
import type { MutationContext } from '../../context.js';
import { extractionModel } from '../../extraction/settings.js';
import { aiSummaryCounts } from './jobs.js';

/** The stored settings over the defaults; a stored set that doesn't fit the schema falls back to the defaults. */
export function summarySettingsOf(data: DocumentData | undefined): SummarySettings {
  const stored = (data?.summaries ?? {}) as Record<string, unknown>;
  const parsed = SummarySettingsSchema.safeParse({ ...DEFAULT_SUMMARY_SETTINGS, ...stored });
  return parsed.success ? parsed.data : DEFAULT_SUMMARY_SETTINGS;
}

/** The status as the API shows it, with counts read beforehand (`aiSummaryCounts`). */
export function summaryStatusOf(
  data: DocumentData | undefined,
  counts: SummaryCounts,
  llm: LlmConfig,
  hasModel: boolean,
): SummaryStatus {
  const settings = summarySettingsOf(data);
  // A summary asks the model the AI chats with, as extraction does.
  const model = extractionModel(data, llm, hasModel);
  return { settings, model_configured: hasModel, model, active: settings.enabled && model !== null, counts };
}

export async function summaryStatus(
  db: Firestore,
  aiUuid: string,
  llm: LlmConfig,
  hasModel: boolean,
): Promise<SummaryStatus> {
  const [data, counts] = await Promise.all([aiRef(db, aiUuid).get(), aiSummaryCounts(db, aiUuid)]);
  return summaryStatusOf(data.data(), counts, llm, hasModel);
}

/** Changes some settings; answers the whole status after the change. */
export async function updateSummarySettings(
  ctx: MutationContext,
  aiUuid: string,
  patch: UpdateSummarySettings,
  llm: LlmConfig,
  hasModel: boolean,
): Promise<SummaryStatus> {
  const ref = aiRef(ctx.db, aiUuid);
  // Settings don't change the counts, so they are read before the commit that records the answer.
  const counts = await aiSummaryCounts(ctx.db, aiUuid);
  return ctx.db.runTransaction(async (tx) => {
    const before = (await tx.get(ref)).data();
    if (!before || before.deletedAt) throw notFound('AI instance');
    const next = SummarySettingsSchema.parse({ ...summarySettingsOf(before), ...patch });
    tx.update(ref, { summaries: next, updatedAt: ctx.clock.now() });
    const status = summaryStatusOf({ ...before, summaries: next }, counts, llm, hasModel);
    ctx.record(tx, status);
    return status;
  });
}
