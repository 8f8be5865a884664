/**
 * The SDK's follow() when the relay refuses to replay because the client is too far behind
 * (`resync_required`): the app is told, with the details, re-reads through the HTTP API, and the
 * follower joins again from the details' `last_event_id`, missing nothing after it. A real relay
 * with a small replay limit (RELAY_MAX_REPLAY), as in tests/relay/replay-bounds.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResyncDetails } from '@memory-weaver/protocol';
import { MemoryWeaverClient, follow, type Live, type LiveStatus, type MemoryUpdate } from '../../sdk/src/index.js';
import { API_URL } from '../support/emulators.js';
import { eventLog } from '../support/events.js';
import { newAi, type AiSession } from '../support/http.js';
import { startRelay, until, type RelayProcess } from '../support/relay.js';
import { quietWindow } from '../support/wait.js';

const MAX_REPLAY = 4;

let relay: RelayProcess & { port: number };
const relays: RelayProcess[] = [];
const lives: Live[] = [];
beforeAll(async () => {
  relay = await startRelay({ RELAY_MAX_REPLAY: String(MAX_REPLAY), RELAY_REPLAY_BATCH: '2' });
  relays.push(relay);
});
afterAll(async () => {
  for (const live of lives) live.close();
  await Promise.all(relays.map((r) => r.stop()));
});

const clientOf = (ai: AiSession) => new MemoryWeaverClient({ baseUrl: API_URL, apiKey: ai.api_key });
const write = async (client: MemoryWeaverClient, aiUuid: string, n: number, label: string) => {
  for (let i = 0; i < n; i++) await client.createMemory(aiUuid, 'working_memory', `${label} ${i}`);
};
const ids = async (aiUuid: string) => (await eventLog(aiUuid)).map((e) => e.id);
/** The ids of the log after `id`. */
const after = (log: string[], id: string) => log.slice(log.indexOf(id) + 1);

describe('follow() further behind than the relay replays', () => {
  it('calls onResync with the details, lets the app re-read over HTTP, then follows from last_event_id', async () => {
    const ai = await newAi('SDK far behind');
    const client = clientOf(ai);
    await write(client, ai.ai_uuid, MAX_REPLAY + 2, 'before');
    const first = (await ids(ai.ai_uuid))[0] as string;

    const updates: MemoryUpdate[] = [];
    const statuses: LiveStatus[] = [];
    const resyncs: ResyncDetails[] = [];
    let reread = 0;
    const live = follow({
      relayUrl: relay.url,
      apiKey: ai.api_key,
      aiUuid: ai.ai_uuid,
      since: first,
      onUpdate: (u) => updates.push(u),
      onStatus: (s) => statuses.push(s),
      onResync: async (details) => {
        resyncs.push(details);
        // A change lands while the app reads the state: the follower must still get it.
        await client.createMemory(ai.ai_uuid, 'working_memory', 'during the resync');
        reread = (await client.listMemories(ai.ai_uuid, 'working_memory', { limit: 100 })).memories.length;
      },
    });
    lives.push(live);
    await live.ready;

    const before = await ids(ai.ai_uuid);
    expect(resyncs).toEqual([{ last_event_id: before.at(-2), behind: MAX_REPLAY + 1, max_replay: MAX_REPLAY }]);
    expect(reread).toBe(MAX_REPLAY + 3);
    expect(statuses.map((s) => s.state)).toEqual(['resync', 'joined']);
    expect(statuses[0]).toEqual({ state: 'resync', details: resyncs[0] });

    await client.createMemory(ai.ai_uuid, 'working_memory', 'after the resync');
    const log = await ids(ai.ai_uuid);
    const expected = after(log, resyncs[0]?.last_event_id as string);
    expect(expected).toHaveLength(2);
    await until(() => updates.length >= expected.length, 'the events after last_event_id');
    await quietWindow();
    expect(updates.map((u) => u.event_id)).toEqual(expected);
    expect(live.lastEventId).toBe(log.at(-1));
    expect(resyncs).toHaveLength(1);
  });

  it('resyncs a follower that fell too far behind while the relay was down, and misses nothing after', async () => {
    const ai = await newAi('SDK fell behind');
    const client = clientOf(ai);
    const own = await startRelay({ RELAY_MAX_REPLAY: String(MAX_REPLAY) });
    relays.push(own);
    const updates: MemoryUpdate[] = [];
    const resyncs: ResyncDetails[] = [];
    const live = follow({
      relayUrl: own.url,
      apiKey: ai.api_key,
      aiUuid: ai.ai_uuid,
      onUpdate: (u) => updates.push(u),
      onResync: (details) => {
        resyncs.push(details);
      },
    });
    lives.push(live);
    await live.ready;
    await client.createMemory(ai.ai_uuid, 'working_memory', 'seen live');
    await until(() => updates.length >= 1, 'the live event');

    await own.kill();
    await write(client, ai.ai_uuid, MAX_REPLAY + 2, 'while the relay was down');
    relays.push(await startRelay({ RELAY_MAX_REPLAY: String(MAX_REPLAY) }, own.port));

    await until(() => resyncs.length >= 1, 'onResync after the reconnect', 20_000);
    const behindAt = await ids(ai.ai_uuid);
    expect(resyncs[0]).toEqual({ last_event_id: behindAt.at(-1), behind: MAX_REPLAY + 2, max_replay: MAX_REPLAY });
    await until(() => live.lastEventId === behindAt.at(-1), 'the join from last_event_id');
    await client.createMemory(ai.ai_uuid, 'long_term_memory', 'after the resync');
    const log = await ids(ai.ai_uuid);
    await until(() => updates.length >= 2, 'the event after the resync');
    await quietWindow();
    // The one seen live, then everything after last_event_id: the gap is what the app re-read.
    expect(updates.map((u) => u.event_id)).toEqual([log[0], log.at(-1)]);
    expect(resyncs).toHaveLength(1);
  });

  it('without onResync, reports the resync through onStatus and goes on live from last_event_id', async () => {
    const ai = await newAi('SDK default resync');
    const client = clientOf(ai);
    await write(client, ai.ai_uuid, MAX_REPLAY + 1, 'before');
    const log = await ids(ai.ai_uuid);
    const updates: MemoryUpdate[] = [];
    const statuses: LiveStatus[] = [];
    const live = follow({
      relayUrl: relay.url,
      apiKey: ai.api_key,
      aiUuid: ai.ai_uuid,
      since: '000000000000',
      onUpdate: (u) => updates.push(u),
      onStatus: (s) => statuses.push(s),
    });
    lives.push(live);
    await live.ready;
    expect(statuses.map((s) => s.state)).toEqual(['resync', 'joined']);
    expect(statuses[0]).toEqual({
      state: 'resync',
      details: { last_event_id: log.at(-1), behind: MAX_REPLAY + 1, max_replay: MAX_REPLAY },
    });
    expect(live.lastEventId).toBe(log.at(-1));

    await client.createMemory(ai.ai_uuid, 'archive', 'live after the resync');
    const now = await ids(ai.ai_uuid);
    await until(() => updates.length >= 1, 'the live event');
    await quietWindow();
    expect(updates.map((u) => u.event_id)).toEqual([now.at(-1)]);
  });

  it('tries again when onResync fails, and follows once it succeeds', async () => {
    const ai = await newAi('SDK resync retried');
    const client = clientOf(ai);
    await write(client, ai.ai_uuid, MAX_REPLAY + 1, 'before');
    const log = await ids(ai.ai_uuid);
    const statuses: LiveStatus[] = [];
    let calls = 0;
    const live = follow({
      relayUrl: relay.url,
      apiKey: ai.api_key,
      aiUuid: ai.ai_uuid,
      since: '000000000000',
      onUpdate: () => {},
      onStatus: (s) => statuses.push(s),
      onResync: () => {
        calls += 1;
        if (calls === 1) throw new Error('the HTTP API was unreachable');
      },
    });
    lives.push(live);
    await live.ready;
    expect(calls).toBe(2);
    expect(statuses.map((s) => s.state)).toEqual(['resync', 'error', 'resync', 'joined']);
    expect(statuses[1]).toMatchObject({ state: 'error', error: { code: 'resync_required' } });
    expect(live.lastEventId).toBe(log.at(-1));
  });
});
