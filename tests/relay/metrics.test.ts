/**
 * The relay's Prometheus metrics at `GET /metrics`, scraped from a real relay process before and
 * after real traffic: sockets, rooms and seats, events delivered by phase, replay sizes, delivery
 * lag, refused joins and connections by code, and the process's own figures.
 */
import { describe, expect, it } from 'vitest';
import { eventLog } from '../support/events.js';
import { newAi } from '../support/http.js';
import { createMemory } from '../support/memories.js';
import { collect, connectError, connected, request, until } from '../support/relay.js';
import { relaySession } from '../support/relaySession.js';

const relay = relaySession({ RELAY_MAX_REPLAY: '3' });

/** Every sample of the scrape, by its series (name and labels as printed). */
async function scrape(): Promise<{ contentType: string | null; samples: Map<string, number> }> {
  const res = await fetch(`${relay.url}/metrics`);
  expect(res.status).toBe(200);
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return { contentType: res.headers.get('content-type'), samples };
}
const value = (samples: Map<string, number>, series: string) => samples.get(series) ?? 0;

describe('GET /metrics', () => {
  it('serves the Prometheus text format with the process figures beside the relay ones', async () => {
    const { contentType, samples } = await scrape();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(value(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(samples.has('mw_relay_sockets')).toBe(true);
  });

  it('moves the counters with traffic: sockets, seats, events by phase, replay sizes, lag and refusals', async () => {
    const before = (await scrape()).samples;
    const ai = await newAi('Metered');
    for (let i = 0; i < 2; i++) await createMemory(ai, 'working_memory', `before ${i}`);
    const [first] = await eventLog(ai.ai_uuid);

    const refused = relay.open({ api_key: 'mwk_nope' });
    expect((await connectError(refused))?.data?.code).toBe('unauthenticated');
    const s = relay.open({ api_key: ai.api_key });
    await connected(s);
    const got = collect(s);
    expect(await request(s, 'join', { ai_uuid: ai.ai_uuid, since: 'no-such-event' })).toMatchObject({ ok: false });
    expect(await request(s, 'join', { ai_uuid: ai.ai_uuid, since: first?.id })).toMatchObject({
      ok: true,
      replayed: 1,
    });
    await createMemory(ai, 'working_memory', 'live');
    await write(ai, 3);
    await until(() => got.length >= 5, 'the replayed event and four live ones');
    const far = relay.open({ api_key: ai.api_key });
    await connected(far);
    expect(await request(far, 'join', { ai_uuid: ai.ai_uuid, since: first?.id })).toMatchObject({
      ok: false,
      error: { code: 'resync_required' },
    });

    const after = (await scrape()).samples;
    const moved = (series: string) => value(after, series) - value(before, series);
    expect(value(after, 'mw_relay_sockets')).toBeGreaterThanOrEqual(2);
    expect(value(after, 'mw_relay_rooms')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'mw_relay_seats')).toBeGreaterThanOrEqual(1);
    expect(moved('mw_relay_events_delivered_total{phase="replay"}')).toBe(1);
    expect(moved('mw_relay_events_delivered_total{phase="live"}')).toBeGreaterThanOrEqual(4);
    expect(moved('mw_relay_replay_events_count')).toBe(1);
    expect(moved('mw_relay_replay_events_sum')).toBe(1);
    expect(moved('mw_relay_delivery_lag_seconds_count')).toBeGreaterThanOrEqual(4);
    expect(moved('mw_relay_refused_total{event="join",code="not_found"}')).toBe(1);
    expect(moved('mw_relay_refused_total{event="join",code="resync_required"}')).toBe(1);
    expect(moved('mw_relay_refused_total{event="connect",code="unauthenticated"}')).toBe(1);
  });
});

async function write(ai: Awaited<ReturnType<typeof newAi>>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await createMemory(ai, 'working_memory', `more ${i}`);
}
