/**
 * Group commit (functions/src/memory/change.ts): the changes of one AI that wait while a commit
 * runs are committed together, with consecutive event numbers. In one process, many concurrent
 * changes of one AI must each get exactly one number, with no gaps, each response naming the event
 * that says what it did; a change that fails must fail alone; Idempotency-Key retries must replay.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentData } from 'firebase-admin/firestore';
import { openSnapshots, tierRef } from '@memory-weaver/core';
import { db } from '../support/emulators.js';
import { eventLog } from '../support/events.js';
import { call, newAi, type AiSession, type Reply } from '../support/http.js';
import { localAppDeps, startApp, type RunningApp } from '../support/app.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp(localAppDeps());
});
afterAll(async () => {
  await app.close();
});

const create = (ai: AiSession, content: string, headers: Record<string, string> = {}) =>
  call('POST', `/v1/ais/${ai.ai_uuid}/memories/working_memory`, {
    baseUrl: app.url,
    token: ai.api_key,
    body: { content },
    headers,
  });

const edit = (ai: AiSession, memoryId: string, content: string) =>
  call('PATCH', `/v1/ais/${ai.ai_uuid}/memories/working_memory/${memoryId}`, {
    baseUrl: app.url,
    token: ai.api_key,
    body: { content },
  });

/** Numbers 1..n, each once, in order. */
function expectGapless(log: DocumentData[], n: number): void {
  expect(log.map((e) => Number(e.seq))).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  expect(log.map((e) => String(e.id))).toEqual(log.map((e) => String(e.seq).padStart(String(e.id).length, '0')));
}

/** The reply's change is the one its event records: same memory, same content, same kind. */
function expectMatches(reply: Reply, log: DocumentData[], type: string): void {
  const event = log.find((e) => e.id === reply.body.event_id);
  expect(event, `event ${String(reply.body.event_id)}`).toBeDefined();
  expect(event?.type).toBe(type);
  expect(event?.memoryId).toBe(reply.body.memory_id);
  expect(event?.memory?.content).toBe(reply.body.memory.content);
}

/** How many commits held more than one event: events of one commit share its time. */
function sharedCommits(log: DocumentData[]): number {
  const byTime = new Map<string, number>();
  for (const e of log) {
    const at = (e.at as { toDate(): Date; nanoseconds: number }).toDate().toISOString() + String(e.at.nanoseconds);
    byTime.set(at, (byTime.get(at) ?? 0) + 1);
  }
  return [...byTime.values()].filter((n) => n > 1).length;
}

describe('group commit of one AI’s changes in one process', () => {
  it('gives 40 concurrent creates one number each, gapless, in groups, each reply matching its event', async () => {
    const ai = await newAi('Grouped');
    const n = 40;
    const replies = await Promise.all(Array.from({ length: n }, (_, i) => create(ai, `memory ${i}`)));
    expect(replies.map((r) => r.status)).toEqual(Array.from({ length: n }, () => 201));
    const log = await eventLog(ai.ai_uuid);
    expectGapless(log, n);
    for (const r of replies) expectMatches(r, log, 'created');
    expect(new Set(replies.map((r) => r.body.event_id)).size).toBe(n);
    expect((await tierRef(db, ai.ai_uuid, 'working_memory').get()).size).toBe(n);
    // Without grouping every commit holds one event.
    expect(sharedCommits(log)).toBeGreaterThan(0);
  });

  it('serialises edits of one memory across groups, fails a change alone, and keeps the log gapless', async () => {
    const ai = await newAi('Mixed');
    const first = await create(ai, 'v0');
    const other = await create(ai, 'other v0');
    const id = String(first.body.memory_id);
    const otherId = String(other.body.memory_id);
    const missing = 'no-such-memory-0000000000';
    const ops: { kind: string; run: () => Promise<Reply> }[] = [];
    for (let i = 1; i <= 12; i++) {
      ops.push({ kind: 'edit', run: () => edit(ai, id, `v${i}`) });
      ops.push({ kind: 'create', run: () => create(ai, `new ${i}`) });
      ops.push({ kind: 'edit other', run: () => edit(ai, otherId, `other v${i}`) });
      if (i % 4 === 0) ops.push({ kind: 'missing', run: () => edit(ai, missing, 'nothing') });
    }
    const replies = await Promise.all(ops.map((op) => op.run()));
    const ok = replies.filter((_, i) => ops[i]?.kind !== 'missing');
    const failed = replies.filter((_, i) => ops[i]?.kind === 'missing');
    expect(ok.map((r) => r.status).every((s) => s === 200 || s === 201)).toBe(true);
    expect(failed.map((r) => r.status)).toEqual([404, 404, 404]);
    const log = await eventLog(ai.ai_uuid);
    expectGapless(log, 2 + ok.length);
    for (const [i, r] of replies.entries()) {
      const kind = ops[i]?.kind;
      if (kind === 'missing') continue;
      expectMatches(r, log, kind === 'create' ? 'created' : 'updated');
    }
    // The memory ends as the last of its edits in the log says, and each edit saw the one before.
    const edits = log.filter((e) => e.memoryId === id && e.type === 'updated');
    expect(edits).toHaveLength(12);
    const [doc] = await openSnapshots(db, ai.ai_uuid, [await tierRef(db, ai.ai_uuid, 'working_memory').doc(id).get()]);
    const stored: unknown = doc?.get('content');
    expect(stored).toBe(edits.at(-1)?.memory?.content);
    expect(sharedCommits(log)).toBeGreaterThan(0);
  });

  it('replays concurrent creates sent again with their Idempotency-Keys, duplicates included', async () => {
    const ai = await newAi('Replayed');
    const keys = Array.from({ length: 12 }, () => randomUUID());
    // Each key twice in the same burst: one commits, the other answers with its result.
    const burst = await Promise.all(
      [...keys, ...keys].map((key, i) => create(ai, `kept ${i % keys.length}`, { 'Idempotency-Key': key })),
    );
    expect(burst.map((r) => r.status).every((s) => s === 201)).toBe(true);
    for (let i = 0; i < keys.length; i++) expect(burst[i + keys.length]?.body).toEqual(burst[i]?.body);
    const again = await Promise.all(keys.map((key, i) => create(ai, `kept ${i}`, { 'Idempotency-Key': key })));
    for (const [i, r] of again.entries()) {
      expect(r.status).toBe(201);
      expect(r.headers.get('idempotent-replayed')).toBe('true');
      expect(r.body).toEqual(burst[i]?.body);
    }
    const log = await eventLog(ai.ai_uuid);
    expectGapless(log, keys.length);
    for (const r of burst.slice(0, keys.length)) expectMatches(r, log, 'created');
    expect((await tierRef(db, ai.ai_uuid, 'working_memory').get()).size).toBe(keys.length);
  });
});
