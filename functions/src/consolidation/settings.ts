/**
 * @module consolidation/settings — an AI's consolidation settings, stored under `consolidation` in
 * its registry entry with the defaults filled in.
 */
import type { DocumentData } from 'firebase-admin/firestore';
import {
  ConsolidationSettingsSchema,
  DEFAULT_CONSOLIDATION_SETTINGS,
  type ConsolidationSettings,
  type UpdateConsolidationSettings,
} from '@memory-weaver/protocol';
import { aiRef, notFound } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';

/** The stored settings over the defaults; a stored set that doesn't fit the schema falls back to the defaults. */
export function consolidationSettingsOf(data: DocumentData | undefined): ConsolidationSettings {
  const stored = (data?.consolidation ?? {}) as Record<string, unknown>;
  const parsed = ConsolidationSettingsSchema.safeParse({ ...DEFAULT_CONSOLIDATION_SETTINGS, ...stored });
  return parsed.success ? parsed.data : DEFAULT_CONSOLIDATION_SETTINGS;
}

export async function updateConsolidationSettings(
  ctx: MutationContext,
  aiUuid: string,
  patch: UpdateConsolidationSettings,
): Promise<ConsolidationSettings> {
  const ref = aiRef(ctx.db, aiUuid);
  return ctx.db.runTransaction(async (tx) => {
    const data = (await tx.get(ref)).data();
    if (!data || data.deletedAt) throw notFound('AI instance');
    const next = ConsolidationSettingsSchema.parse({ ...consolidationSettingsOf(data), ...patch });
    tx.update(ref, { consolidation: next, updatedAt: ctx.clock.now() });
    ctx.record(tx, next);
    return next;
  });
}
