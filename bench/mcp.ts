/**
 * @module bench/mcp — the MCP server against the REST API it stands beside, both through Hosting
 * and the Functions emulator (the deployment's shape): a tool call against the same REST call, p50
 * / p95 (goal: within 1.3x), and the time from an HTTP write to the subscribed session's
 * `notifications/resources/updated`. Calls alternate MCP / REST so that both see the same emulator
 * warmth. `BENCH_ONLY=mcp`; `BENCH_MCP_N` rounds (default 200), `BENCH_MCP_NOTIFY_N` writes (default 50).
 */
import { randomUUID } from 'node:crypto';
import { tierUri } from '@memory-weaver/protocol';
import { API_URL, signIn } from '../tests/support/emulators.js';
import { connect, tool } from '../tests/mcp/client.js';
import { percentile } from './stats.js';

const N = Number(process.env.BENCH_MCP_N ?? 200);
const NOTIFY_N = Number(process.env.BENCH_MCP_NOTIFY_N ?? 50);
const WARMUP = 20;

async function rest<T = unknown>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(`${API_URL}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json as T;
}

const timed = async (op: () => Promise<unknown>): Promise<number> => {
  const t = performance.now();
  await op();
  return performance.now() - t;
};

interface Pair {
  label: string;
  mcp: number[];
  rest: number[];
}

/** Runs the two `n` times, alternating which goes first, after a warm-up of each. */
async function pair(
  label: string,
  n: number,
  mcp: () => Promise<unknown>,
  restCall: () => Promise<unknown>,
): Promise<Pair> {
  for (let i = 0; i < WARMUP; i++) {
    await mcp();
    await restCall();
  }
  const p: Pair = { label, mcp: [], rest: [] };
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      p.mcp.push(await timed(mcp));
      p.rest.push(await timed(restCall));
    } else {
      p.rest.push(await timed(restCall));
      p.mcp.push(await timed(mcp));
    }
  }
  return p;
}

const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95) };
};

export async function benchMcp(): Promise<string> {
  const admin = (await signIn({ admin: true })).idToken;
  const ai = await rest<{ ai_uuid: string; api_key: string }>('POST', '/v1/handshake', admin, {
    ai_name: `bench-mcp-${randomUUID().slice(0, 8)}`,
  });
  const session = await connect(ai.api_key);
  const lines: string[] = ['MCP (through Hosting and the Functions emulator; p50 / p95 ms)'];
  try {
    const create = await pair(
      'create: remember / POST /v1/ais/{ai}/memories/{tier}',
      N,
      () => tool(session, 'remember', { memory_type: 'working_memory', content: `memory ${randomUUID()}` }),
      () =>
        rest('POST', `/v1/ais/${ai.ai_uuid}/memories/working_memory`, ai.api_key, {
          content: `memory ${randomUUID()}`,
        }),
    );
    const list = await pair(
      'list 20: list_memories / GET /v1/ais/{ai}/memories/{tier}',
      N,
      () => tool(session, 'list_memories', { memory_type: 'working_memory', limit: 20 }),
      () => rest('GET', `/v1/ais/${ai.ai_uuid}/memories/working_memory?limit=20`, ai.api_key),
    );
    lines.push(
      'operation                                                  MCP p50 / p95     REST p50 / p95    MCP / REST (p50, p95)',
    );
    for (const p of [create, list]) {
      const m = fmt(p.mcp);
      const r = fmt(p.rest);
      lines.push(
        `${p.label.padEnd(58)} ${m.p50.toFixed(1).padStart(6)} / ${m.p95.toFixed(1).padEnd(8)} ${r.p50.toFixed(1).padStart(6)} / ${r.p95.toFixed(1).padEnd(8)} ${(m.p50 / r.p50).toFixed(2)}x, ${(m.p95 / r.p95).toFixed(2)}x (goal ≤ 1.3x)`,
      );
    }

    // A write through REST, to the subscribed session's resources/updated.
    const uri = tierUri(ai.ai_uuid, 'long_term_memory');
    await session.client.subscribeResource({ uri });
    const fromRequest: number[] = [];
    const fromResponse: number[] = [];
    let missed = 0;
    for (let i = 0; i < NOTIFY_N + 5; i++) {
      const update = session.nextUpdate(uri, 10_000);
      const start = performance.now();
      await rest('POST', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory`, ai.api_key, {
        content: `fact ${String(i)}`,
      });
      const answered = performance.now();
      try {
        const { receivedAt } = await update;
        if (i >= 5) {
          fromRequest.push(receivedAt - start);
          fromResponse.push(receivedAt - answered);
        }
      } catch {
        missed += 1;
      }
    }
    const a = fmt(fromRequest);
    const b = fmt(fromResponse);
    lines.push(
      `HTTP write → resources/updated (${String(fromRequest.length)} writes, ${String(missed)} missed within 10 s): ` +
        `from the request ${a.p50.toFixed(1)} / ${a.p95.toFixed(1)} ms, from its response ${b.p50.toFixed(1)} / ${b.p95.toFixed(1)} ms`,
    );
  } finally {
    await session.close();
  }
  return lines.join('\n');
}
