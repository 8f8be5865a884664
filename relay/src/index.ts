/**
 * @module index — the relay's entry: the only file that builds real dependencies and listens.
 * PORT (default 3001), RELAY_CORS_ORIGINS (comma-separated; default: the local console),
 * RELAY_AUTH_TIMEOUT_MS (how long a bare socket may wait before authenticating; default 5 s),
 * RELAY_MAX_SOCKETS_PER_ADDRESS and RELAY_MAX_SOCKETS_PER_CALLER (see socketLimits.ts).
 */
import { createServer } from 'node:http';
import { initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import { assertEmulatorsOnlyLocally, projectIdFrom } from '@memory-weaver/core';
import { createRelay } from './relay.js';
import { DEFAULT_SOCKET_LIMITS } from './socketLimits.js';

const projectId = projectIdFrom(process.env);
assertEmulatorsOnlyLocally(process.env, projectId);

const app = initializeApp(projectId ? { projectId } : undefined);
const db = getFirestore(app);
const auth = getAuth(app);
const port = Number(process.env.PORT ?? 3001);
const corsOrigins = (process.env.RELAY_CORS_ORIGINS ?? 'http://127.0.0.1:5000,http://localhost:5000')
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean);

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
      }),
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
  ...(process.env.RELAY_AUTH_TIMEOUT_MS ? { authTimeoutMs: Number(process.env.RELAY_AUTH_TIMEOUT_MS) } : {}),
  socketLimits: {
    perAddress: Number(process.env.RELAY_MAX_SOCKETS_PER_ADDRESS ?? DEFAULT_SOCKET_LIMITS.perAddress),
    perCaller: Number(process.env.RELAY_MAX_SOCKETS_PER_CALLER ?? DEFAULT_SOCKET_LIMITS.perCaller),
  },
});

server.listen(port, () => console.log(JSON.stringify({ severity: 'INFO', message: `relay listening on ${port}` })));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void relay.close().finally(() => process.exit(0));
  });
}
