/**
 * @module bench/brain — export and import of an AI with 1,000 and 10,000 memories: time and peak
 * RSS. Each export and import runs the brain modules in a child process of its own (bench/
 * brainWorker.ts) against the Firestore emulator, so its peak RSS is that work's alone (the
 * Functions emulator runs the API in worker processes this bench can't measure); a baseline child
 * (the same modules loaded, one read) says what a process costs before any work. The same export and
 * import are then timed through HTTP (Hosting → Functions emulator). Goal (issue 13): streaming, so
 * the export's peak memory doesn't grow with the AI. The import reads its file whole (32 MiB at
 * most, the platform's request limit), so its peak grows with the file: that is measured, not hidden.
 *
 * Memories are seeded straight into Firestore (bench/seed.ts, SEED_NOTE). Every AI the bench makes is
 * deleted through the API at the end, and its files are removed, whatever happened.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalEmbedder } from '../functions/src/embeddings/local.js';
import { API_URL, adminIdToken, db } from '../tests/support/emulators.js';
import { call, newAi } from '../tests/support/http.js';
import { makeCorpus, seedMemories, SEED_NOTE } from './seed.js';

const SIZES = [1_000, 10_000];
/** Any one child or HTTP call longer than this fails the section (a bench must end). */
const STEP_TIMEOUT_MS = 10 * 60_000;

interface Measured {
  seconds?: number;
  bytes?: number;
  peak_rss_mib: number;
  ai_uuid?: string;
  added?: number;
}

/**
 * V8's old-space cap for the capped export run: a process whose export held the bundle (108 MiB
 * with vectors at 10,000 memories) could not finish under it; one that streams does.
 */
const HEAP_CAP_MIB = 64;

function worker(args: string[], nodeFlags: string[] = []): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', 'bench/brainWorker.ts', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as Measured);
      else reject(new Error(`brainWorker ${args[0] ?? ''} exited ${String(code)}: ${err.slice(-2000)}`));
    });
  });
}

/** GET the export through the API, streamed; the bytes' SHA-256 and the time to the last byte. */
async function httpExport(aiUuid: string, token: string): Promise<{ seconds: number; bytes: number; sha256: string }> {
  const started = performance.now();
  const res = await fetch(`${API_URL}/v1/ais/${aiUuid}/export`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
  });
  if (res.status !== 200 || !res.body) throw new Error(`export answered ${String(res.status)}: ${await res.text()}`);
  const hash = createHash('sha256');
  let bytes = 0;
  const reader = res.body.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    hash.update(r.value);
    bytes += r.value.length;
  }
  return { seconds: (performance.now() - started) / 1000, bytes, sha256: hash.digest('hex') };
}

async function httpImport(file: string, token: string): Promise<{ seconds: number; aiUuid: string; added: number }> {
  const started = performance.now();
  const res = await fetch(`${API_URL}/v1/ais/import?ai_name=bench-brain-http`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
    body: readFileSync(file),
    signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
  });
  const body = (await res.json()) as { ai_uuid?: string; counts?: { added: number } };
  if (res.status !== 201 || !body.ai_uuid)
    throw new Error(`import answered ${String(res.status)}: ${JSON.stringify(body)}`);
  return { seconds: (performance.now() - started) / 1000, aiUuid: body.ai_uuid, added: body.counts?.added ?? 0 };
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const s = (seconds: number | undefined) => `${(seconds ?? 0).toFixed(1)} s`;

export async function benchBrain(): Promise<string> {
  const lines = ['brain export / import (format /2; in-process figures from a child process each, peak RSS = maxRSS)'];
  const dir = mkdtempSync(join(tmpdir(), 'mw-bench-brain-'));
  const made: string[] = [];
  const token = await adminIdToken();
  try {
    const corpus = await makeCorpus(createLocalEmbedder());
    const peaks: Record<number, { baseline: number; export: number; vectors: number; import: number }> = {};
    for (const n of SIZES) {
      const ai = await newAi(`bench-brain-${String(n)}`);
      made.push(ai.ai_uuid);
      const seeded = await seedMemories(db, ai.ai_uuid, corpus, n);
      const file = join(dir, `${String(n)}.brain`);
      const baseline = await worker(['baseline', ai.ai_uuid]);
      const exported = await worker(['export', ai.ai_uuid, file]);
      const vectorsFile = join(dir, `${String(n)}-vectors.brain`);
      const withVectors = await worker(['export', ai.ai_uuid, vectorsFile, 'vectors']);
      const capped = await worker(
        ['export', ai.ai_uuid, vectorsFile, 'vectors'],
        [`--max-old-space-size=${String(HEAP_CAP_MIB)}`],
      ).then(
        (m) => `finished in ${s(m.seconds)}, peak RSS ${m.peak_rss_mib.toFixed(0)} MiB`,
        (err: unknown) => `FAILED (${String(err).slice(0, 200)})`,
      );
      rmSync(vectorsFile, { force: true });
      const imported = await worker(['import', file]);
      if (imported.ai_uuid) made.push(imported.ai_uuid);
      const overHttp = await httpExport(ai.ai_uuid, token);
      const sameBytes = overHttp.sha256 === createHash('sha256').update(readFileSync(file)).digest('hex');
      const httpIn = await httpImport(file, token);
      made.push(httpIn.aiUuid);
      peaks[n] = {
        baseline: baseline.peak_rss_mib,
        export: exported.peak_rss_mib,
        vectors: withVectors.peak_rss_mib,
        import: imported.peak_rss_mib,
      };
      lines.push(
        `  ${n.toLocaleString('en')} memories (seeded in ${seeded.toFixed(1)} s; a process with the modules loaded: ` +
          `${baseline.peak_rss_mib.toFixed(0)} MiB peak RSS)`,
        `    export, in process: ${s(exported.seconds)}, ${mib(statSync(file).size)} MiB, peak RSS ${exported.peak_rss_mib.toFixed(0)} MiB`,
        `    export with vectors, in process: ${s(withVectors.seconds)}, ${mib(withVectors.bytes ?? 0)} MiB, peak RSS ${withVectors.peak_rss_mib.toFixed(0)} MiB`,
        `    export with vectors, V8 heap capped at ${String(HEAP_CAP_MIB)} MiB: ${capped}`,
        `    import into a new AI, in process: ${s(imported.seconds)} (${String(imported.added)} added), peak RSS ${imported.peak_rss_mib.toFixed(0)} MiB`,
        `    through HTTP: export ${s(overHttp.seconds)} (${sameBytes ? 'the same bytes as in process' : 'BYTES DIFFER from in process'}), ` +
          `import ${s(httpIn.seconds)} (${String(httpIn.added)} added)`,
      );
    }
    const [small, large] = SIZES.map((n) => peaks[n]);
    if (small && large) {
      // Absolute peaks: the baseline itself varies by ~15 MiB between runs (heap sizing), so a
      // ratio of differences above it would be noise.
      const from = (k: 'export' | 'vectors' | 'import') => `${small[k].toFixed(0)} → ${large[k].toFixed(0)} MiB`;
      lines.push(
        `  peak RSS, 1,000 → 10,000 memories (10× the data): export ${from('export')}, export with vectors ` +
          `${from('vectors')}, import ${from('import')} (the import holds its file whole)`,
      );
    }
    lines.push(`  ${SEED_NOTE}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    for (const id of made) {
      const r = await call('DELETE', `/v1/ais/${id}`, { token, contract: false });
      if (r.status !== 200 && r.status !== 204) lines.push(`  (could not delete bench AI ${id}: ${String(r.status)})`);
    }
  }
  return lines.join('\n');
}
