/** The SDK's follow() across reconnects when the client had seen no event yet. */
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryWeaverClient, follow, type MemoryUpdate } from '../../sdk/src/index.js';
import { API_URL } from '../support/emulators.js';
import { eventLog } from '../support/events.js';
import { newAi } from '../support/http.js';
import { startRelay, until, type RelayProcess } from '../support/relay.js';

const relays: RelayProcess[] = [];
afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
});

describe('follow() before the first event', () => {
  it('misses nothing that happens while it reconnects, although the log was empty when it joined', async () => {
    const relay = await startRelay();
    relays.push(relay);
    const ai = await newAi('Empty at first');
    const client = new MemoryWeaverClient({ baseUrl: API_URL, apiKey: ai.api_key });
    const updates: MemoryUpdate[] = [];
    const live = follow({
      relayUrl: relay.url,
      apiKey: ai.api_key,
      aiUuid: ai.ai_uuid,
      onUpdate: (u) => updates.push(u),
    });
    await live.ready;

    // Dropped before any event: the changes made meanwhile are the first ones of the log.
    await relay.kill();
    await client.createMemory(ai.ai_uuid, 'working_memory', 'made while the client was away');
    await client.createMemory(ai.ai_uuid, 'archive', 'and another');
    relays.push(await startRelay({}, relay.port));

    const log = await eventLog(ai.ai_uuid);
    await until(() => updates.length >= log.length, 'the events made while away', 20_000);
    expect(updates.map((u) => u.event_id)).toEqual(log.map((e) => e.id));
    live.close();
  });
});
