/** @module brain/exportBrain — an AI as a `.brain` bundle, optionally sealed with a passphrase. */
import type { Firestore } from 'firebase-admin/firestore';
import type { BrainRecord } from '@memory-weaver/protocol';
import { aiRef, notFound, type Principal } from '@memory-weaver/core';
import { aiSettingsOf } from '../ai/record.js';
import type { Embedder } from '../embeddings/base.js';
import { extractionSettingsOf } from '../extraction/settings.js';
import { writeBundle } from './bundle.js';
import { collectRecords, tierCounts } from './collect.js';
import { sealBundle } from './seal.js';

export interface ExportRequest {
  aiUuid: string;
  viewer: Principal;
  include: { events: boolean; vectors: boolean };
  passphrase?: string | undefined;
}

/**
 * The bundle's text (NDJSON), or its JWE when a passphrase is given. Built whole before it is sent:
 * the manifest, which comes first, holds the digest of every record (see README, "Limits").
 */
export async function exportBrain(db: Firestore, embedder: Embedder, req: ExportRequest): Promise<string> {
  const ai = (await aiRef(db, req.aiUuid).get()).data();
  if (!ai || ai.deletedAt) throw notFound('AI instance');
  const records = await collectRecords(db, req.aiUuid, req.viewer, req.include);
  const count = (type: BrainRecord['type']) => records.filter((r) => r.type === type).length;
  const text = writeBundle(
    {
      ai: { ai_name: String(ai.name), settings: aiSettingsOf(ai), extraction: extractionSettingsOf(ai) },
      embedding: { model: embedder.id, dimensions: embedder.dimensions },
      include: [
        ...(req.include.events ? (['events'] as const) : []),
        ...(req.include.vectors ? (['vectors'] as const) : []),
      ],
      counts: {
        memories: tierCounts(records),
        versions: records.reduce((n, r) => n + (r.type === 'memory' ? r.versions.length : 0), 0),
        sessions: count('session'),
        turns: records.reduce((n, r) => n + (r.type === 'session' ? r.turns.length : 0), 0),
        events: count('event'),
        vectors: count('vector'),
      },
    },
    records,
  );
  return req.passphrase ? sealBundle(text, req.passphrase) : text;
}
