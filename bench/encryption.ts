/**
 * @module bench/encryption — what encryption at rest costs (`BENCH_ONLY=encryption`): creates and
 * searches of an encrypted AI against one stored in plaintext, in the same run, interleaved
 * request by request so both see the same machine.
 *
 * The two AIs are made the same way whatever the server's default (MW_ENCRYPT_NEW_AIS): the
 * encrypted one gets its key by a key rotation (which encrypts an AI stored without one), and the
 * plaintext one has its key entry removed before it stores anything, which is exactly an AI created
 * before encryption existed (packages/core/src/crypto/README.md). Requests go over loopback HTTP to
 * createApp in this process (startApp), so the figures are the app's and Firestore's, not the
 * emulators' proxies'. Searches are hybrid (keyword + vector) on a warm index, with each memory
 * already embedded; a cold index build (every memory read and opened) is timed once per AI.
 */
import { FieldValue } from 'firebase-admin/firestore';
import { aiRef, dataKeyRef } from '@memory-weaver/core';
import { createLocalEmbedder } from '../functions/src/embeddings/local.js';
import { AiIndexes } from '../functions/src/search/aiIndexes.js';
import { localAppDeps, startApp } from '../tests/support/app.js';
import { adminIdToken, db } from '../tests/support/emulators.js';
import { newAi, type AiSession } from '../tests/support/http.js';
import { BENCH_QUESTIONS, baseSentence } from './seed.js';
import { percentile } from './stats.js';

/** Memories each AI holds before searches are timed. */
const SEEDED = 500;
/** Timed creates and searches per AI. */
const ROUNDS = 300;
const SEED_IN_FLIGHT = 8;

interface Summary {
  p50: number;
  p95: number;
}
const summary = (xs: number[]): Summary => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95) };
};
const ms = (x: number) => x.toFixed(1);
const overhead = (on: number, off: number) => `${(((on - off) / off) * 100).toFixed(1)} %`;

async function timed(url: string, init: RequestInit): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, init);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}`);
  return performance.now() - t;
}

export async function benchEncryption(): Promise<string> {
  const app = await startApp(localAppDeps());
  try {
    const admin = await adminIdToken();
    const on = await newAi(`bench-enc-on-${Date.now()}`);
    const off = await newAi(`bench-enc-off-${Date.now()}`);
    // The plaintext AI: no key entry, as before encryption existed.
    await dataKeyRef(db, off.ai_uuid).delete();
    await aiRef(db, off.ai_uuid).update({ dataKeyVersion: FieldValue.delete() });
    const rotate = await fetch(`${app.url}/v1/ais/${on.ai_uuid}/encryption/rotate-key`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    });
    const status = (await rotate.json()) as { encrypted: boolean };
    if (!status.encrypted) throw new Error('the encrypted AI has no key');

    const create = (ai: AiSession, content: string) =>
      timed(`${app.url}/v1/ais/${ai.ai_uuid}/memories/long_term_memory`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ai.api_key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content, metadata: { source: 'bench' } }),
      });
    const search = (ai: AiSession, query: string) =>
      timed(`${app.url}/v1/ais/${ai.ai_uuid}/search`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ai.api_key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query, limit: 10 }),
      });

    for (let i = 0; i < SEEDED; i += SEED_IN_FLIGHT) {
      const batch = Array.from({ length: Math.min(SEED_IN_FLIGHT, SEEDED - i) }, (_, j) => baseSentence(i + j));
      await Promise.all(batch.flatMap((text) => [create(on, text), create(off, text)]));
    }
    // Warm both indexes (built, every memory embedded) before anything is timed.
    await search(on, 'warm up');
    await search(off, 'warm up');

    const creates = { on: [] as number[], off: [] as number[] };
    const searches = { on: [] as number[], off: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      const text = `Timed note ${i}: ${baseSentence(SEEDED + i)}`;
      // Alternating which goes first, so neither always meets a warmer cache.
      const order: ['on' | 'off', AiSession][] =
        i % 2 === 0
          ? [
              ['on', on],
              ['off', off],
            ]
          : [
              ['off', off],
              ['on', on],
            ];
      for (const [k, ai] of order) creates[k].push(await create(ai, text));
      const q = BENCH_QUESTIONS[i % BENCH_QUESTIONS.length] as string;
      for (const [k, ai] of order) searches[k].push(await search(ai, q));
    }

    const cold = async (ai: AiSession) => {
      const indexes = new AiIndexes(db, createLocalEmbedder(), { maxMemories: 1_000_000 });
      const t = performance.now();
      await indexes.current(ai.ai_uuid);
      return performance.now() - t;
    };
    const coldOff = await cold(off);
    const coldOn = await cold(on);

    const c = { on: summary(creates.on), off: summary(creates.off) };
    const s = { on: summary(searches.on), off: summary(searches.off) };
    return [
      `encryption at rest: ${ROUNDS} creates and ${ROUNDS} hybrid searches per AI, interleaved, ${SEEDED} memories seeded each (in-process app over loopback HTTP, Firestore emulator)`,
      `  create  p50 / p95: on ${ms(c.on.p50)} / ${ms(c.on.p95)} ms, off ${ms(c.off.p50)} / ${ms(c.off.p95)} ms; overhead p50 ${overhead(c.on.p50, c.off.p50)}, p95 ${overhead(c.on.p95, c.off.p95)}`,
      `  search  p50 / p95: on ${ms(s.on.p50)} / ${ms(s.on.p95)} ms, off ${ms(s.off.p50)} / ${ms(s.off.p95)} ms; overhead p50 ${overhead(s.on.p50, s.off.p50)}, p95 ${overhead(s.on.p95, s.off.p95)}`,
      `  cold index build (${SEEDED + ROUNDS} memories, stored vectors): on ${coldOn.toFixed(0)} ms, off ${coldOff.toFixed(0)} ms (${overhead(coldOn, coldOff)})`,
      `  goal: at most 10 % slower`,
    ].join('\n');
  } finally {
    await app.close();
  }
}
