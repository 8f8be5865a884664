/**
 * @module brain/exportBrain — an AI as a `.brain` bundle (format /2), produced line by line as the
 * AI is read a page at a time, optionally sealed with a passphrase chunk by chunk: what is held in
 * memory is a page of records (and, sealed, two chunks), whatever the AI's size.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { aiRef, notFound, type Principal } from '@memory-weaver/core';
import { aiSettingsOf } from '../ai/record.js';
import type { Embedder } from '../embeddings/base.js';
import { extractionSettingsOf } from '../extraction/settings.js';
import { BundleWriter } from './bundle.js';
import { collectRecords } from './collect.js';
import { sealLines } from './seal.js';

export interface ExportRequest {
  aiUuid: string;
  viewer: Principal;
  include: { events: boolean; vectors: boolean };
  passphrase?: string | undefined;
}

export interface Export {
  /** The media type of the lines: NDJSON, or JWE lines when sealed. */
  contentType: string;
  /** The bundle's lines, each ending in "\n", read from Firestore as they are asked for. */
  lines: AsyncIterable<string>;
}

/**
 * Reads the AI's registry entry now (so that a missing AI is a 404 before anything is sent), and
 * returns the bundle as lines to be pulled.
 */
export async function exportBrain(
  db: Firestore,
  embedder: Pick<Embedder, 'id' | 'dimensions'>,
  req: ExportRequest,
): Promise<Export> {
  const ai = (await aiRef(db, req.aiUuid).get()).data();
  if (!ai || ai.deletedAt) throw notFound('AI instance');
  const head = {
    ai: { ai_name: String(ai.name), settings: aiSettingsOf(ai), extraction: extractionSettingsOf(ai) },
    embedding: { model: embedder.id, dimensions: embedder.dimensions },
    include: [
      ...(req.include.events ? (['events'] as const) : []),
      ...(req.include.vectors ? (['vectors'] as const) : []),
    ],
  };
  async function* plain(): AsyncGenerator<string> {
    const writer = new BundleWriter();
    yield writer.header(head);
    for await (const r of collectRecords(db, req.aiUuid, req.viewer, req.include)) yield writer.record(r);
    yield writer.trailer();
  }
  return req.passphrase
    ? { contentType: 'application/jose', lines: sealLines(plain(), req.passphrase) }
    : { contentType: 'application/x-ndjson; charset=utf-8', lines: plain() };
}
