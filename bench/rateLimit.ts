/**
 * @module bench/rateLimit — what the request limits and the request log cost per request, in this
 * process, with no emulator:
 *
 * 1. the limits alone, one simulated request at a time: the address's bucket, the reservation of
 *    a failed authentication given back on success (with the credential's SHA-256), the caller's
 *    bucket; over 10,000 addresses and 1,000 keys, half with ID-token-sized credentials;
 * 2. the same middlewares the app mounts first (request id and log line, then the gate) on a real
 *    loopback HTTP server, against the same server without them, requests alternating.
 *
 * Run: npx tsx bench/rateLimit.ts
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { randomBytes } from 'node:crypto';
import type { Principal } from '@memory-weaver/core';
import { DEFAULT_LIMITS } from '../functions/src/config.js';
import { addressKey } from '../functions/src/http/clientAddress.js';
import { createLimits } from '../functions/src/http/limits.js';
import { requestFacts } from '../functions/src/http/requestContext.js';
import { requestGate } from '../functions/src/http/requestGate.js';
import { requestLog } from '../functions/src/http/requestLog.js';
import { percentile } from './stats.js';

const N = Number(process.env.BENCH_N ?? 20_000);
const HTTP_N = Number(process.env.BENCH_HTTP_N ?? 3_000);
const generous = { ...DEFAULT_LIMITS, perAddressPerMinute: 1e9, perCallerPerMinute: 1e9 };

const summary = (label: string, samples: number[], unit: 'µs' | 'ms') => {
  const sorted = [...samples].sort((a, b) => a - b);
  const scale = unit === 'µs' ? 1000 : 1;
  const f = (p: number) => (percentile(sorted, p) * scale).toFixed(unit === 'µs' ? 1 : 3);
  return `${label.padEnd(44)} p50 ${f(50)} ${unit}  p95 ${f(95)} ${unit}  p99 ${f(99)} ${unit}`;
};

const principalOf = (i: number): Principal =>
  i % 2 ? { kind: 'ai_key', keyId: `k${i}`, aiUuid: 'u', aiName: 'n', cached: true } : { kind: 'admin', uid: `u${i}` };

function limitsAlone(): string {
  const limits = createLimits(generous, () => performance.now());
  const addresses = Array.from({ length: 10_000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  const callers = Array.from({ length: 1_000 }, (_, i) => ({
    // An API key is 64 characters; an ID token about 900.
    credential:
      i % 2
        ? `mwk_${randomBytes(12).toString('base64url')}.${randomBytes(32).toString('base64url')}`
        : randomBytes(675).toString('base64url'),
    principal: principalOf(i),
  }));
  const one = (i: number) => {
    const address = addressKey(addresses[i % addresses.length]);
    const caller = callers[i % callers.length] as (typeof callers)[number];
    limits.admitAddress(address);
    const attempt = limits.beginAuth(address, caller.credential);
    attempt.succeeded();
    limits.admitCaller(caller.principal);
    attempt.settle(200);
  };
  for (let i = 0; i < 2_000; i++) one(i);
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    one(i);
    times.push(performance.now() - t);
  }
  return summary(`limits alone (${N} requests)`, times, 'µs');
}

function server(withMiddleware: boolean): Express {
  const app = express();
  const limits = createLimits(generous, () => performance.now());
  if (withMiddleware) {
    app.use(requestLog({ info: () => undefined }));
    app.use(requestGate(limits));
  }
  app.get('/x', (_req, res) => {
    if (withMiddleware) {
      requestFacts(res).auth?.succeeded();
      limits.admitCaller({ kind: 'ai_key', keyId: 'k', aiUuid: 'u', aiName: 'n', cached: true });
    }
    res.json({ ok: true });
  });
  return app;
}

async function overHttp(): Promise<string[]> {
  const listen = async (app: Express) => {
    const s = app.listen(0, '127.0.0.1');
    await once(s, 'listening');
    return { s, url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/x` };
  };
  const [bare, gated] = [await listen(server(false)), await listen(server(true))];
  const headers = { authorization: `Bearer mwk_${'A'.repeat(16)}.${'b'.repeat(43)}` };
  const get = async (url: string) => {
    const t = performance.now();
    await (await fetch(url, { headers })).arrayBuffer();
    return performance.now() - t;
  };
  for (let i = 0; i < 300; i++) await Promise.all([get(bare.url), get(gated.url)]);
  const times = { bare: [] as number[], gated: [] as number[] };
  for (let i = 0; i < HTTP_N; i++) {
    // Alternating, so that drift in the machine's load falls on both alike.
    if (i % 2) {
      times.bare.push(await get(bare.url));
      times.gated.push(await get(gated.url));
    } else {
      times.gated.push(await get(gated.url));
      times.bare.push(await get(bare.url));
    }
  }
  bare.s.close();
  gated.s.close();
  const p50 = (xs: number[]) =>
    percentile(
      [...xs].sort((a, b) => a - b),
      50,
    );
  return [
    summary(`HTTP without the middlewares (${HTTP_N})`, times.bare, 'ms'),
    summary(`HTTP with request log + gate (${HTTP_N})`, times.gated, 'ms'),
    `difference of the p50s: ${((p50(times.gated) - p50(times.bare)) * 1000).toFixed(1)} µs`,
  ];
}

console.log(limitsAlone());
for (const line of await overHttp()) console.log(line);
