/**
 * @module metrics — the relay's Prometheus metrics, in a registry of its own (one per relay, no
 * globals): open sockets, rooms and seats (read when scraped), events sent, replay sizes, delivery
 * lag, and refused client events by code. `index.ts` adds the process's default metrics to the
 * same registry and serves it at `GET /metrics`.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ErrorCode } from '@memory-weaver/protocol';
import type { RoomObserver } from './rooms.js';

export interface MetricSources {
  sockets(): number;
  stats(): { rooms: number; seats: number };
  /** Credential checks waiting for their turn (see admission.ts). */
  authWaiting(): number;
}

export interface RelayMetrics extends RoomObserver {
  /**
   * A client event answered with an error, or a connection refused (`connect`); a refused join is
   * `join` with its code (e.g. `resync_required`).
   */
  refused(event: string, code: ErrorCode): void;
}

export function createMetrics(registry: Registry, sources: MetricSources, now = () => Date.now()): RelayMetrics {
  const registers = [registry];
  new Gauge({
    name: 'mw_relay_sockets',
    help: 'Open Socket.IO connections in this process (authenticated or not).',
    registers,
    collect() {
      this.set(sources.sockets());
    },
  });
  new Gauge({
    name: 'mw_relay_rooms',
    help: 'Open rooms (AIs with at least one seated socket) in this process.',
    registers,
    collect() {
      this.set(sources.stats().rooms);
    },
  });
  new Gauge({
    name: 'mw_relay_seats',
    help: 'Seats in all rooms: one per socket per AI it joined.',
    registers,
    collect() {
      this.set(sources.stats().seats);
    },
  });
  new Gauge({
    name: 'mw_relay_auth_waiting',
    help: 'Credential checks of connecting sockets waiting for their turn (a burst of connections).',
    registers,
    collect() {
      this.set(sources.authWaiting());
    },
  });
  const sent = new Counter({
    name: 'mw_relay_events_delivered_total',
    help: 'memory_update events sent to sockets, by phase: replay (read from the log on join) or live.',
    labelNames: ['phase'] as const,
    registers,
  });
  const replaySize = new Histogram({
    name: 'mw_relay_replay_events',
    help: 'Past events replayed per join with since (joins refused with resync_required are not in it).',
    buckets: [0, 1, 10, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000],
    registers,
  });
  const lag = new Histogram({
    name: 'mw_relay_delivery_lag_seconds',
    help: "Time from an event's commit (its at) to its emit to a socket, for live events.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const refusals = new Counter({
    name: 'mw_relay_refused_total',
    help: 'Client events answered with an error, by event and error code; event "connect" is a refused handshake.',
    labelNames: ['event', 'code'] as const,
    registers,
  });
  // Bound once (a label lookup per event sent to each socket adds up); both series exist from the start.
  const sentIn = { replay: sent.labels('replay'), live: sent.labels('live') };
  sentIn.replay.inc(0);
  sentIn.live.inc(0);

  return {
    sent(event, phase) {
      sentIn[phase].inc();
      if (phase === 'live') {
        const at = Date.parse(event.at);
        // A relay clock behind Firestore's would make it negative: that is no lag, not a new bucket.
        if (!Number.isNaN(at)) lag.observe(Math.max(0, now() - at) / 1000);
      }
    },
    replayed: (count) => replaySize.observe(count),
    refused: (event, code) => refusals.labels(event, code).inc(),
  };
}
