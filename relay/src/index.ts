/**
 * @module index — the relay's entry: the only file that builds real dependencies and listens.
 * PORT (default 3001), RELAY_CORS_ORIGINS (comma-separated; default: the local console),
 * RELAY_AUTH_TIMEOUT_MS (how long a bare socket may wait before authenticating; default 5 s),
 * RELAY_MAX_SOCKETS_PER_ADDRESS and RELAY_MAX_SOCKETS_PER_CALLER (see socketLimits.ts),
 * RELAY_MAX_REPLAY (the most events replayed on a join; a client further behind is told to
 * resync through the HTTP API; default 1,000) and RELAY_REPLAY_BATCH (events sent before waiting
 * for the socket to drain; default 100), RELAY_MAX_CONCURRENT_AUTH (credential checks in flight
 * at once, see admission.ts; default 32). Serves `GET /healthz` and `GET /metrics` (Prometheus).
 *
 * Started with V8 flags that keep the heap close to what the sockets hold (package.json `start`,
 * the Dockerfile's CMD; see relay/README.md, "Memory").
 */
import { createServer } from 'node:http';
import { initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { SOCKET_LIMITS } from '@memory-weaver/protocol';
import { assertEmulatorsOnlyLocally, processKeyring, projectIdFrom } from '@memory-weaver/core';
import { createRelay, DEFAULT_MAX_CONCURRENT_AUTH } from './relay.js';
import { DEFAULT_REPLAY_LIMITS } from './replay.js';
import { DEFAULT_SOCKET_LIMITS } from './socketLimits.js';

/** A whole number from the environment; a blank variable is unset, anything else invalid stops the start. */
function count(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not "${raw}"`);
  return n;
}

const projectId = projectIdFrom(process.env);
assertEmulatorsOnlyLocally(process.env, projectId);
// Encryption at rest's keys (core's crypto/): built now, so a local KEK outside the emulators stops the start.
processKeyring();

const app = initializeApp(projectId ? { projectId } : undefined);
const db = getFirestore(app);
const auth = getAuth(app);
const port = Number(process.env.PORT ?? 3001);
const corsOrigins = (process.env.RELAY_CORS_ORIGINS ?? 'http://127.0.0.1:5000,http://localhost:5000')
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean);

const registry = new Registry();
// The process's own figures (memory, heap spaces, event-loop lag, GC) beside the relay's.
collectDefaultMetrics({ register: registry });

const server = createServer((req, res) => {
  // Health check for load balancers and for scripts waiting on start-up.
  if (req.url === '/healthz') {
    const m = process.memoryUsage();
    const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        status: 'ok',
        sockets: relay.io.engine.clientsCount,
        ...relay.stats(),
        rss_mb: mb(m.rss),
        heap_used_mb: mb(m.heapUsed),
        heap_total_mb: mb(m.heapTotal),
        external_mb: mb(m.external),
      }),
    );
    return;
  }
  if (req.url === '/metrics' && req.method === 'GET') {
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: unknown) => {
        console.error(JSON.stringify({ severity: 'ERROR', message: 'could not collect metrics', error: String(err) }));
        res.writeHead(500, { 'content-type': 'text/plain' }).end('could not collect metrics\n');
      },
    );
    return;
  }
  res
    .writeHead(404, { 'content-type': 'application/json' })
    .end('{"error":{"code":"not_found","message":"not found","details":null}}');
});
const relay = createRelay(server, {
  db,
  verifyIdToken: (token) => auth.verifyIdToken(token, true),
  corsOrigins,
  log: (message, err) => console.error(JSON.stringify({ severity: 'ERROR', message, error: String(err) })),
  authTimeoutMs: count('RELAY_AUTH_TIMEOUT_MS', SOCKET_LIMITS.authTimeoutMs),
  socketLimits: {
    perAddress: count('RELAY_MAX_SOCKETS_PER_ADDRESS', DEFAULT_SOCKET_LIMITS.perAddress),
    perCaller: count('RELAY_MAX_SOCKETS_PER_CALLER', DEFAULT_SOCKET_LIMITS.perCaller),
  },
  replay: {
    maxEvents: count('RELAY_MAX_REPLAY', DEFAULT_REPLAY_LIMITS.maxEvents),
    batch: Math.max(1, count('RELAY_REPLAY_BATCH', DEFAULT_REPLAY_LIMITS.batch)),
  },
  maxConcurrentAuth: Math.max(1, count('RELAY_MAX_CONCURRENT_AUTH', DEFAULT_MAX_CONCURRENT_AUTH)),
  registry,
});

server.listen(port, () => console.log(JSON.stringify({ severity: 'INFO', message: `relay listening on ${port}` })));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void relay.close().finally(() => process.exit(0));
  });
}
