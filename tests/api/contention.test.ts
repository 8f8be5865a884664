/**
 * Many writers on one AI: every change takes the AI's next event number, so concurrent changes
 * race by design. They must all land, or a few be told to retry (503 with Retry-After), never
 * fail with a 500, and the log stays gapless.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventLog } from '../support/events.js';
import { call, newAi, type Reply } from '../support/http.js';
import { createMemory } from '../support/memories.js';
import { localAppDeps, startApp, type RunningApp } from '../support/app.js';

const WRITERS = 64;

let app: RunningApp;
beforeAll(async () => {
  app = await startApp(localAppDeps());
});
afterAll(async () => {
  await app.close();
});

async function editConcurrently(baseUrl: string | undefined): Promise<{ replies: Reply[]; aiUuid: string }> {
  const ai = await newAi('Contended');
  const made = await createMemory(ai, 'working_memory', 'v0', baseUrl === undefined ? {} : { baseUrl });
  const replies = await Promise.all(
    Array.from({ length: WRITERS }, (_, i) =>
      call('POST', '/edit_memory', {
        token: ai.api_key,
        ...(baseUrl === undefined ? {} : { baseUrl }),
        body: {
          ai_name: ai.ai_name,
          ai_uuid: ai.ai_uuid,
          memory_type: 'working_memory',
          memory_id: made.memory_id,
          memory_data: `v${i + 1}`,
        },
      }),
    ),
  );
  return { replies, aiUuid: ai.ai_uuid };
}

async function expectGaplessLog(aiUuid: string, changes: number): Promise<void> {
  const log = await eventLog(aiUuid);
  expect(log.map((e) => Number(e.seq))).toEqual(Array.from({ length: changes }, (_, i) => i + 1));
}

describe(`${WRITERS} concurrent writers on one AI`, () => {
  it('all succeed in one process, one after another, with a gapless log', async () => {
    const { replies, aiUuid } = await editConcurrently(app.url);
    expect(replies.map((r) => r.status)).toEqual(Array.from({ length: WRITERS }, () => 200));
    await expectGaplessLog(aiUuid, WRITERS + 1);
  });

  it('through the Functions emulator (a process per request) get 200 or 503 with Retry-After, never a 500', async () => {
    const { replies, aiUuid } = await editConcurrently(undefined);
    for (const reply of replies) {
      expect([200, 503], reply.text.slice(0, 500)).toContain(reply.status);
      if (reply.status === 503) {
        expect(reply.body.error.code).toBe('unavailable');
        expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    const succeeded = replies.filter((r) => r.status === 200).length;
    expect(succeeded).toBeGreaterThan(WRITERS / 2);
    await expectGaplessLog(aiUuid, succeeded + 1);
  });
});
