import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { MemoryEvent } from '@memory-weaver/protocol';
import { eventId } from '@memory-weaver/core';
import { createMetrics } from '../../../relay/src/metrics.js';

const committedAt = Date.parse('2026-01-01T00:00:00.000Z');
const event = (seq: number): MemoryEvent => ({
  event_id: eventId(seq),
  seq,
  ai_uuid: '3f2b8c1e-6d4a-4b7e-9c1f-2a5d8e0b7c34',
  type: 'created',
  memory_id: `m${seq}`,
  memory_type: 'working_memory',
  from_memory_type: null,
  to_memory_type: null,
  at: new Date(committedAt).toISOString(),
  actor: { kind: 'ai_key', id: 'k1' },
  via: 'test',
  memory: null,
});

/** One sample's value from the registry's text, e.g. `mw_relay_sockets` or `mw_relay_refused_total{...}`. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

const metricsAt = (nowMs: number) => {
  const registry = new Registry();
  const metrics = createMetrics(
    registry,
    { sockets: () => 12, stats: () => ({ rooms: 3, seats: 7 }), authWaiting: () => 2 },
    () => nowMs,
  );
  return { registry, metrics };
};

describe("the relay's metrics", () => {
  it('reads sockets, rooms, seats and waiting credential checks from the relay when scraped', async () => {
    const text = await metricsAt(0).registry.metrics();
    expect(sample(text, 'mw_relay_sockets')).toBe(12);
    expect(sample(text, 'mw_relay_rooms')).toBe(3);
    expect(sample(text, 'mw_relay_seats')).toBe(7);
    expect(sample(text, 'mw_relay_auth_waiting')).toBe(2);
  });

  it('counts events sent by phase and observes the lag of live ones only', async () => {
    const { registry, metrics } = metricsAt(committedAt + 40);
    metrics.sent(event(1), 'replay');
    metrics.sent(event(2), 'live');
    metrics.sent(event(3), 'live');
    const text = await registry.metrics();
    expect(sample(text, 'mw_relay_events_delivered_total{phase="replay"}')).toBe(1);
    expect(sample(text, 'mw_relay_events_delivered_total{phase="live"}')).toBe(2);
    expect(sample(text, 'mw_relay_delivery_lag_seconds_count')).toBe(2);
    expect(sample(text, 'mw_relay_delivery_lag_seconds_bucket{le="0.025"}')).toBe(0);
    expect(sample(text, 'mw_relay_delivery_lag_seconds_bucket{le="0.05"}')).toBe(2);
  });

  it('counts a lag from a relay clock behind the commit time as none', async () => {
    const { registry, metrics } = metricsAt(committedAt - 5_000);
    metrics.sent(event(1), 'live');
    expect(sample(await registry.metrics(), 'mw_relay_delivery_lag_seconds_bucket{le="0.005"}')).toBe(1);
  });

  it('observes replay sizes and counts refusals by event and code', async () => {
    const { registry, metrics } = metricsAt(0);
    metrics.replayed(0);
    metrics.replayed(120);
    metrics.refused('join', 'resync_required');
    metrics.refused('join', 'resync_required');
    metrics.refused('connect', 'unauthenticated');
    const text = await registry.metrics();
    expect(sample(text, 'mw_relay_replay_events_count')).toBe(2);
    expect(sample(text, 'mw_relay_replay_events_sum')).toBe(120);
    expect(sample(text, 'mw_relay_replay_events_bucket{le="100"}')).toBe(1);
    expect(sample(text, 'mw_relay_refused_total{event="join",code="resync_required"}')).toBe(2);
    expect(sample(text, 'mw_relay_refused_total{event="connect",code="unauthenticated"}')).toBe(1);
  });

  it('keeps each relay in its own registry', async () => {
    const a = metricsAt(0);
    const b = metricsAt(0);
    a.metrics.refused('join', 'not_found');
    expect(sample(await b.registry.metrics(), 'mw_relay_refused_total{event="join",code="not_found"}')).toBeUndefined();
  });
});
