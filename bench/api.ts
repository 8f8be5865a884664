/**
 * @module bench/api — create / edit / move / retrieve through the API, against a bare
 * firebase-admin write to the same Firestore emulator. Two API paths are measured:
 *   - "app": createApp() in this process on a real HTTP port: the cost of our own code;
 *   - "emulated function": Hosting → Functions emulator → app, the shape of a deployment.
 * Run with `npm run bench` (it starts the emulators).
 */
import { randomUUID } from 'node:crypto';
import type { HandshakeResponse } from '@memory-weaver/protocol';
import { localAppDeps, startApp } from '../tests/support/app.js';
import { db, signIn } from '../tests/support/emulators.js';
import { measure, table, type Figures } from './stats.js';

const N = Number(process.env.BENCH_N ?? 300);

/** A bare POST, so the figures hold the API's time and as little client as possible. */
async function http<T = unknown>(base: string, path: string, token: string, body: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json as T;
}

async function apiFigures(base: string, label: string, adminToken: string): Promise<Figures[]> {
  const ai = await http<HandshakeResponse & { api_key: string }>(base, '/v1/handshake', adminToken, {
    ai_name: `bench-${label}`,
  });
  const scope = { ai_name: ai.ai_name, ai_uuid: ai.ai_uuid };
  const key = ai.api_key;
  const ids: string[] = [];
  const create = await measure(`create (${label})`, N, async () => {
    const r = await http<{ memory_id: string }>(base, '/create_memory', key, {
      ...scope,
      memory_type: 'working_memory',
      memory_data: { content: `memory ${randomUUID()}`, metadata: { bench: true } },
    });
    ids.push(r.memory_id);
  });
  let e = 0;
  const edit = await measure(`edit (${label})`, N, () =>
    http(base, '/edit_memory', key, {
      ...scope,
      memory_type: 'working_memory',
      memory_id: ids[e++ % ids.length],
      memory_data: `edited ${e}`,
    }),
  );
  // Each memory moves once, working → long-term, so every move is a real one.
  let m = 0;
  const move = await measure(
    `move (${label})`,
    Math.min(N, ids.length - 40),
    () =>
      http(base, '/move_memory', key, {
        ...scope,
        from_memory_type: 'working_memory',
        to_memory_type: 'long_term_memory',
        document_id: ids[m++],
      }),
    8,
    0,
  );
  const retrieve = await measure(`retrieve 20 (${label})`, N, () =>
    http(base, '/retrieve_memories', key, { ...scope, memory_type: 'long_term_memory', limit: 20 }),
  );
  return [create, edit, move, retrieve];
}

const bareWrite = () =>
  db
    .collection('bench_bare')
    .doc()
    .set({ content: `memory ${randomUUID()}`, metadata: { bench: true }, createdAt: new Date() });

export async function benchApi(): Promise<string> {
  const adminToken = (await signIn({ admin: true })).idToken;
  const app = await startApp(localAppDeps());
  const appBase = app.url;
  const apiBase = process.env.API_BASE_URL ?? 'http://127.0.0.1:5000';

  // The emulator (a JVM) and both Node processes speed up a lot over their first few hundred
  // operations; measuring before that would make whatever runs first look slow.
  await measure('warm-up', 0, bareWrite, 8, 600);
  await apiFigures(appBase, 'warm-up', adminToken);
  await apiFigures(apiBase, 'warm-up', adminToken);

  const bare = await measure('bare admin write', N, bareWrite);
  const bareRead = await measure('bare admin query 20', N, () =>
    db.collection('bench_bare').orderBy('createdAt', 'desc').limit(20).get(),
  );
  const inProcess = await apiFigures(appBase, 'app', adminToken);
  const emulated = await apiFigures(apiBase, 'emulated function', adminToken);
  // Measured again last, so drift of the emulator over the run shows.
  const bareAgain = await measure('bare admin write (again)', N, bareWrite);
  await app.close();

  return [
    `## Memory API (n=${N} sequential for latency; 8 in flight for req/s)`,
    table([bare, bareAgain, bareRead, ...inProcess, ...emulated], bare),
  ].join('\n');
}
