/** @module tests/consolidation/helpers — what the consolidation tests share: making memories old, a run, the model stand-in's scripts. */
import { Timestamp } from 'firebase-admin/firestore';
import { expect } from 'vitest';
import type { MemoryType } from '@memory-weaver/protocol';
import { tierRef } from '@memory-weaver/core';
import { db } from '../support/emulators.js';
import { call, expectStatus, newAi, type AiSession, type Json } from '../support/http.js';

export const DAY = 86_400_000;
const FAKE_LLM_URL = process.env.FAKE_LLM_URL ?? 'http://127.0.0.1:5055';

/** A memory made through the API; answers its id. */
export async function remember(ai: AiSession, tier: MemoryType, content: string, metadata: Json = {}): Promise<string> {
  const r = await call('POST', `/v1/ais/${ai.ai_uuid}/memories/${tier}`, {
    token: ai.api_key,
    body: { content, metadata },
  });
  expectStatus(r, 201);
  return String(r.body.memory_id);
}

/** Sets a memory's creation and last change `days` back (as if it had been stored then). */
export async function makeOld(ai: AiSession, tier: MemoryType, id: string, days: number): Promise<void> {
  const at = Timestamp.fromMillis(Date.now() - days * DAY);
  await tierRef(db, ai.ai_uuid, tier).doc(id).update({ createdAt: at, updatedAt: at });
}

export const consolidate = (ai: AiSession, body: Json = {}, token = ai.api_key) =>
  call('POST', `/v1/ais/${ai.ai_uuid}/consolidate`, { token, body });

export async function settings(ai: AiSession, change: Json): Promise<void> {
  expectStatus(await call('PATCH', `/v1/ais/${ai.ai_uuid}/consolidation`, { token: ai.api_key, body: change }), 200);
}

export async function ids(ai: AiSession, tier: MemoryType): Promise<string[]> {
  return (await tierRef(db, ai.ai_uuid, tier).get()).docs.map((d) => d.id).sort();
}

/** Scripts the model stand-in's reflections for this AI (tests/fake-llm/reflections.mjs). */
export async function scriptReflections(ai: AiSession, script: Json): Promise<void> {
  const res = await fetch(`${FAKE_LLM_URL}/__reflections/script`, {
    method: 'POST',
    body: JSON.stringify({ user: ai.ai_uuid, ...script }),
  });
  expect(res.status).toBe(204);
}

/** Scripts the stand-in's extraction for this AI (tests/fake-llm/extraction.mjs) and turns extraction on. */
export async function scriptExtraction(ai: AiSession, script: Json): Promise<void> {
  const res = await fetch(`${FAKE_LLM_URL}/__extraction/script`, {
    method: 'POST',
    body: JSON.stringify({ user: ai.ai_uuid, ...script }),
  });
  expect(res.status).toBe(204);
  const on = await call('PATCH', `/v1/ais/${ai.ai_uuid}/extraction`, { token: ai.api_key, body: { enabled: true } });
  expectStatus(on, 200);
}

/**
 * An AI the scheduled pass leaves alone: tests of other files run `consolidateAll` over every live
 * AI while this file runs, which must not consolidate this test's AI between its steps.
 */
export async function unscheduledAi(name: string): Promise<AiSession> {
  const ai = await newAi(name);
  await settings(ai, { scheduled: false });
  return ai;
}
