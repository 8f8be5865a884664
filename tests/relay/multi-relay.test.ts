/** Several relay processes side by side: messages cross them, and a crash loses nothing. */
import { afterAll, describe, expect, it } from 'vitest';
import { eventLog } from '../support/events.js';
import { newAi } from '../support/http.js';
import { createMemory } from '../support/memories.js';
import { collect, connect, connected, request, startRelay, until, type RelayProcess } from '../support/relay.js';
import { quietWindow } from '../support/wait.js';

const relays: RelayProcess[] = [];
afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
});

describe('relay processes side by side', () => {
  it('relays a message between clients on two different relay processes', async () => {
    const [r1, r2] = [await startRelay(), await startRelay()];
    relays.push(r1, r2);
    const ai = await newAi('Chatty');
    const [s1, s2] = [connect(r1.url, { api_key: ai.api_key }), connect(r2.url, { api_key: ai.api_key })];
    await Promise.all([connected(s1), connected(s2)]);
    await request(s1, 'join', { ai_uuid: ai.ai_uuid });
    await request(s2, 'join', { ai_uuid: ai.ai_uuid });
    const received = new Promise((resolve) => s2.once('message', resolve));
    const echoed: unknown[] = [];
    s1.on('message', (m) => echoed.push(m));
    expect(await request(s1, 'message', { ai_uuid: ai.ai_uuid, text: 'hello from r1' })).toMatchObject({ ok: true });
    expect(await received).toMatchObject({
      ai_uuid: ai.ai_uuid,
      payload: { text: 'hello from r1' },
      from: { role: 'ai', socket_id: s1.id },
    });
    // The sender must not get its own message back; s2 already has it, so an echo would be here by now.
    await quietWindow();
    expect(echoed).toEqual([]);
    s1.close();
    s2.close();
  });

  it('loses nothing and doubles nothing when a relay is killed while changes keep coming', async () => {
    const [r1, r2] = [await startRelay(), await startRelay()];
    relays.push(r1, r2);
    const ai = await newAi('Survivor');
    const first = connect(r1.url, { api_key: ai.api_key });
    await connected(first);
    const got = collect(first);
    await request(first, 'join', { ai_uuid: ai.ai_uuid });

    const total = 60;
    let written = 0;
    const writer = (async () => {
      for (; written < total; written++) {
        await createMemory(ai, 'working_memory', `change ${written}`);
      }
    })();

    await until(() => got.length >= 15, 'some updates before the crash');
    await r1.kill();
    const lastSeen = got[got.length - 1]?.event_id as string;
    // The client moves to the other relay process and asks for what it missed.
    const second = connect(r2.url, { api_key: ai.api_key });
    await connected(second);
    second.on('memory_update', (u) => got.push(u));
    expect(await request(second, 'join', { ai_uuid: ai.ai_uuid, since: lastSeen })).toMatchObject({ ok: true });
    await writer;
    await until(() => got.length >= total, 'every update', 20_000);
    // Every update is in; one sent twice (by the dead relay and again in the replay) would arrive within this window.
    await quietWindow();
    const ids = got.map((u) => u.event_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual((await eventLog(ai.ai_uuid)).map((e) => e.id));
    expect(ids).toHaveLength(total);
    second.close();
  });
});
