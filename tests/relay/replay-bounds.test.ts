/**
 * The replay on join, bounded (issue 9): a client further behind than the relay replays is told to
 * resync through the HTTP API and where to resume; a replay within the limit is sent in batches,
 * each after the socket has taken the previous one; and `since: "000000000000"` means "from the
 * start of the log", so a client that joined an empty log misses nothing across a reconnect.
 * A real relay process with a small limit (RELAY_MAX_REPLAY) and batch (RELAY_REPLAY_BATCH).
 */
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { MemoryPage, ResyncDetails } from '@memory-weaver/protocol';
import { eventLog } from '../support/events.js';
import { call, expectStatus, newAi, type AiSession } from '../support/http.js';
import { createMemory } from '../support/memories.js';
import { collect, connected, request, until, type ClientSocket } from '../support/relay.js';
import { relaySession } from '../support/relaySession.js';
import { quietWindow } from '../support/wait.js';

const MAX_REPLAY = 4;
const START_OF_LOG = '000000000000';

const relay = relaySession({ RELAY_MAX_REPLAY: String(MAX_REPLAY), RELAY_REPLAY_BATCH: '2' });
const open = async (ai: AiSession) => {
  const s = relay.open({ api_key: ai.api_key });
  await connected(s);
  return s;
};
const write = async (ai: AiSession, n: number, label: string) => {
  for (let i = 0; i < n; i++) await createMemory(ai, 'working_memory', `${label} ${i}`);
};
const ids = async (aiUuid: string) => (await eventLog(aiUuid)).map((e) => e.id);

describe('a client further behind than the relay replays', () => {
  it('is refused with resync_required, told to use the HTTP API and where to resume', async () => {
    const ai = await newAi('Far behind');
    await write(ai, MAX_REPLAY + 2, 'before');
    const log = await ids(ai.ai_uuid);
    const s = await open(ai);
    const got = collect(s);
    const refused = await request(s, 'join', { ai_uuid: ai.ai_uuid, since: log[0] });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'resync_required',
        details: { last_event_id: log.at(-1), behind: MAX_REPLAY + 1, max_replay: MAX_REPLAY },
      },
    });
    if (refused.ok) return;
    expect(refused.error.message).toMatch(/HTTP API/);
    // Refused before anything was sent.
    await quietWindow();
    expect(got).toEqual([]);
  });

  it('misses nothing when it resyncs as told: reads through the HTTP API, then joins from last_event_id', async () => {
    const ai = await newAi('Resync');
    await write(ai, MAX_REPLAY + 3, 'before');
    const s = await open(ai);
    const got = collect(s);
    const refused = await request(s, 'join', { ai_uuid: ai.ai_uuid, since: (await ids(ai.ai_uuid))[0] });
    if (refused.ok) throw new Error('the join was expected to be refused');
    const resume = (refused.error.details as ResyncDetails).last_event_id;
    // A change lands while the client reads the state through the HTTP API.
    await createMemory(ai, 'working_memory', 'during the resync');
    const page = await call<MemoryPage>('GET', `/v1/ais/${ai.ai_uuid}/memories/working_memory?limit=100`, {
      token: ai.api_key,
    });
    expectStatus(page, 200);
    expect(page.body.memories).toHaveLength(MAX_REPLAY + 4);
    const joined = await request(s, 'join', { ai_uuid: ai.ai_uuid, since: resume });
    expect(joined).toMatchObject({ ok: true, replayed: 1 });
    await createMemory(ai, 'working_memory', 'after the resync');
    const log = await ids(ai.ai_uuid);
    const after = log.slice(log.indexOf(resume) + 1);
    await until(() => got.length >= after.length, 'the events after last_event_id');
    await quietWindow();
    expect(got.map((u) => u.event_id)).toEqual(after);
  });
});

describe('a client within the limit', () => {
  it('is replayed exactly the limit, in batches, in order, then live, each event once', async () => {
    const ai = await newAi('Just within');
    await write(ai, MAX_REPLAY + 1, 'before');
    const log = await ids(ai.ai_uuid);
    const s = await open(ai);
    const got = collect(s);
    expect(await request(s, 'join', { ai_uuid: ai.ai_uuid, since: log[0] })).toMatchObject({
      ok: true,
      replayed: MAX_REPLAY,
      last_event_id: log.at(-1),
    });
    await createMemory(ai, 'working_memory', 'live');
    const full = await ids(ai.ai_uuid);
    await until(() => got.length >= full.length - 1, 'the replay and the live event');
    await quietWindow();
    expect(got.map((u) => u.event_id)).toEqual(full.slice(1));
  });

  it('is replayed in batches over long-polling too', async () => {
    const ai = await newAi('Polling');
    await write(ai, MAX_REPLAY, 'before');
    const s: ClientSocket = io(relay.url, {
      transports: ['polling'],
      reconnection: false,
      forceNew: true,
      auth: { api_key: ai.api_key },
    });
    relay.track(s);
    await connected(s);
    const got = collect(s);
    expect(await request(s, 'join', { ai_uuid: ai.ai_uuid, since: START_OF_LOG })).toMatchObject({
      ok: true,
      replayed: MAX_REPLAY,
    });
    expect(got.map((u) => u.event_id)).toEqual(await ids(ai.ai_uuid));
  });
});

describe('since "000000000000": from the start of the log', () => {
  it('replays every event to a client that joined an empty log and was dropped before its first event', async () => {
    const ai = await newAi('Empty at join');
    const first = await open(ai);
    expect(await request(first, 'join', { ai_uuid: ai.ai_uuid })).toMatchObject({ ok: true, last_event_id: null });
    first.close();
    // While the client reconnects, the AI changes.
    await write(ai, 3, 'while away');
    const again = await open(ai);
    const got = collect(again);
    expect(await request(again, 'join', { ai_uuid: ai.ai_uuid, since: START_OF_LOG })).toMatchObject({
      ok: true,
      replayed: 3,
    });
    const log = await ids(ai.ai_uuid);
    await until(() => got.length >= log.length, 'every event of the log');
    await quietWindow();
    expect(got.map((u) => u.event_id)).toEqual(log);
  });

  it('answers a still-empty log with nothing to replay', async () => {
    const ai = await newAi('Still empty');
    const s = await open(ai);
    expect(await request(s, 'join', { ai_uuid: ai.ai_uuid, since: START_OF_LOG })).toEqual({
      ok: true,
      ai_uuid: ai.ai_uuid,
      replayed: 0,
      last_event_id: null,
    });
  });

  it('is refused with resync_required when the log is longer than the limit', async () => {
    const ai = await newAi('Long log');
    await write(ai, MAX_REPLAY + 1, 'before');
    const s = await open(ai);
    expect(await request(s, 'join', { ai_uuid: ai.ai_uuid, since: START_OF_LOG })).toMatchObject({
      ok: false,
      error: { code: 'resync_required', details: { behind: MAX_REPLAY + 1 } },
    });
  });
});
