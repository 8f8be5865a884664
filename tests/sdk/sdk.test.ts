/** The SDK end to end: an AI client with only its key, across a relay restart. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  MemoryWeaverClient,
  NotFoundError,
  follow,
  type LiveStatus,
  type MemoryUpdate,
} from '../../sdk/src/index.js';
import { API_URL } from '../support/emulators.js';
import { eventLog } from '../support/events.js';
import { newAi } from '../support/http.js';
import { startRelay, until, type RelayProcess } from '../support/relay.js';
import { quietWindow } from '../support/wait.js';

const relays: RelayProcess[] = [];
afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
});

describe('@memory-weaver/sdk', () => {
  it('gets a memory_update for every change made through the API, across a relay restart', async () => {
    const relay = await startRelay();
    relays.push(relay);
    const ai = await newAi('SDK client');
    const client = new MemoryWeaverClient({ baseUrl: API_URL, apiKey: ai.api_key });
    const me = await client.handshake();
    expect(me).toMatchObject({ ai_uuid: ai.ai_uuid, created: false });

    const updates: MemoryUpdate[] = [];
    const statuses: LiveStatus['state'][] = [];
    const live = follow({
      relayUrl: relay.url,
      apiKey: ai.api_key,
      aiUuid: me.ai_uuid,
      onUpdate: (u) => updates.push(u),
      onStatus: (s) => statuses.push(s.state),
    });
    await live.ready;

    const a = await client.createMemory(me.ai_uuid, 'working_memory', 'first', { topic: 'x' });
    await client.editMemory(me.ai_uuid, 'working_memory', a.memory_id, { content: 'first, edited' });
    await until(() => updates.length >= 2, 'two updates');

    // The relay dies; changes go on meanwhile; a new relay comes up at the same address.
    await relay.kill();
    const b = await client.createMemory(me.ai_uuid, 'long_term_memory', 'made while the relay was down');
    await client.moveMemory(me.ai_uuid, 'working_memory', a.memory_id, 'archive');
    const restarted = await startRelay({}, relay.port);
    relays.push(restarted);
    await client.deleteMemory(me.ai_uuid, 'long_term_memory', b.memory_id);

    const log = await eventLog(me.ai_uuid);
    await until(() => updates.length >= log.length, 'every update after the restart', 20_000);
    // Every update is in; one delivered twice across the restart would arrive within this window.
    await quietWindow();
    expect(updates.map((u) => u.event_id)).toEqual(log.map((e) => e.id));
    expect(updates.map((u) => u.type)).toEqual(['created', 'updated', 'created', 'moved', 'deleted']);
    expect(statuses).toContain('disconnected');
    expect(statuses.filter((s) => s === 'joined').length).toBeGreaterThanOrEqual(2);
    expect(live.lastEventId).toBe(log.at(-1)?.id);
    live.close();
  });

  it('maps error statuses to typed errors', async () => {
    const ai = await newAi('SDK errors');
    const client = new MemoryWeaverClient({ baseUrl: API_URL, apiKey: ai.api_key, maxRetries: 0 });
    await expect(client.getMemory(ai.ai_uuid, 'archive', 'missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.createMemory(ai.ai_uuid, 'archive', '')).rejects.toBeInstanceOf(BadRequestError);
    const stranger = new MemoryWeaverClient({
      baseUrl: API_URL,
      apiKey: 'mwk_AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB',
      maxRetries: 0,
    });
    const err = await stranger.handshake().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ status: 401, code: 'unauthenticated' });
    const nowhere = new MemoryWeaverClient({ baseUrl: 'http://127.0.0.1:1', apiKey: ai.api_key, maxRetries: 1 });
    await expect(nowhere.handshake()).rejects.toBeInstanceOf(APIConnectionError);

    // A server that takes the request and never answers: the client's own timeout ends the wait.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const slow = new MemoryWeaverClient({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: ai.api_key,
      maxRetries: 0,
      timeoutMs: 200,
    });
    await expect(slow.handshake()).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    silent.closeAllConnections();
    silent.close();
  });
});
