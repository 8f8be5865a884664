/**
 * `npm run brain -- …`: export and import `.brain` bundles against any deployment (the local
 * emulators by default). See functions/src/brain/README.md for the format and the modes.
 *
 *   npm run brain -- export <ai_uuid> <file> [--include events,vectors]
 *   npm run brain -- import <file> [--into <ai_uuid>] [--mode dry_run|merge|overwrite|skip_existing]
 *                                  [--dry-run] [--source brain|mem0|letta] [--name <ai_name>]
 *
 * Environment: MEMORY_WEAVER_URL (default http://127.0.0.1:5000), MEMORY_WEAVER_TOKEN (an
 * administrator's Firebase ID token or the AI's API key), MEMORY_WEAVER_BRAIN_PASSPHRASE (encrypts
 * an export, opens an encrypted import). The passphrase is read from the environment, not the
 * command line, so that it shows in no process list and no shell history.
 */
import { createWriteStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parseArgs } from 'node:util';

const USAGE = `usage:
  npm run brain -- export <ai_uuid> <file> [--include events,vectors]
  npm run brain -- import <file> [--into <ai_uuid>] [--mode dry_run|merge|overwrite|skip_existing] [--dry-run]
                                 [--source brain|mem0|letta] [--name <ai_name>]
env: MEMORY_WEAVER_URL (default http://127.0.0.1:5000), MEMORY_WEAVER_TOKEN, MEMORY_WEAVER_BRAIN_PASSPHRASE`;

const blank = (v: string | undefined): string | undefined => (v && v.trim() !== '' ? v : undefined);
const baseUrl = (blank(process.env.MEMORY_WEAVER_URL) ?? 'http://127.0.0.1:5000').replace(/\/$/, '');
const token = blank(process.env.MEMORY_WEAVER_TOKEN);
const passphrase = blank(process.env.MEMORY_WEAVER_BRAIN_PASSPHRASE);

function headers(extra: Record<string, string> = {}): Record<string, string> {
  if (!token) throw new Error('set MEMORY_WEAVER_TOKEN to an administrator ID token or the AI’s API key');
  return { authorization: `Bearer ${token}`, ...(passphrase ? { 'x-brain-passphrase': passphrase } : {}), ...extra };
}

async function failed(res: Response): Promise<never> {
  const text = await res.text();
  let message = text.slice(0, 500);
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body.error)
      message = `${body.error.code ?? ''}: ${body.error.message ?? ''} ${JSON.stringify(body.error.details ?? null)}`;
  } catch {
    // not the envelope: show the text
  }
  throw new Error(`HTTP ${String(res.status)} ${message}`);
}

/** The file's last line (the trailer of a plain bundle), read from its end: the file may be large. */
async function lastLine(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const { buffer } = await handle.read(Buffer.alloc(length), 0, length, size - length);
    return buffer.toString('utf8').trimEnd().split('\n').at(-1) ?? '';
  } finally {
    await handle.close();
  }
}

async function exportAi(aiUuid: string, file: string, include: string | undefined): Promise<void> {
  const q = include ? `?include=${encodeURIComponent(include)}` : '';
  console.error(`exporting ${aiUuid} from ${baseUrl}…`);
  const res = await fetch(`${baseUrl}/v1/ais/${encodeURIComponent(aiUuid)}/export${q}`, { headers: headers() });
  if (!res.ok) await failed(res);
  if (!res.body) throw new Error('the server sent no bundle');
  // Written as it arrives: the server streams the bundle, and neither end holds it whole.
  await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(file));
  const { size } = await stat(file);
  if (passphrase) {
    console.error(`wrote ${file}: ${String(size)} bytes, encrypted`);
    return;
  }
  const trailer = JSON.parse(await lastLine(file)) as { type?: string; records?: number; counts?: unknown };
  if (trailer.type !== 'trailer') throw new Error(`${file} has no trailer: the transfer was cut short, export again`);
  console.error(`wrote ${file}: ${String(trailer.records)} records ${JSON.stringify(trailer.counts)}`);
}

async function importFile(
  file: string,
  o: {
    into?: string | undefined;
    mode?: string | undefined;
    dryRun: boolean;
    source?: string | undefined;
    name?: string | undefined;
  },
): Promise<void> {
  const body = await readFile(file, 'utf8');
  const source = o.source ?? (file.endsWith('.af') ? 'letta' : 'brain');
  const params = new URLSearchParams();
  if (o.mode) params.set('mode', o.mode);
  if (o.dryRun) params.set('dry_run', 'true');
  params.set('source', source);
  if (o.name) params.set('ai_name', o.name);
  const path = o.into ? `/v1/ais/${encodeURIComponent(o.into)}/import` : '/v1/ais/import';
  console.error(`importing ${file} (${source}) into ${o.into ?? 'a new AI'} at ${baseUrl}…`);
  const res = await fetch(`${baseUrl}${path}?${params.toString()}`, {
    method: 'POST',
    headers: headers({ 'content-type': source === 'brain' ? 'application/x-ndjson' : 'application/json' }),
    body,
  });
  if (!res.ok) await failed(res);
  const report = (await res.json()) as Record<string, unknown> & { counts: unknown };
  console.error(
    `${report.dry_run ? 'would do' : 'done'}: ${JSON.stringify(report.counts)} (mode ${String(report.mode)})`,
  );
  // The report on stdout (it may hold a new AI's API key: redirect it somewhere private).
  console.log(JSON.stringify(report, null, 2));
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      include: { type: 'string' },
      into: { type: 'string' },
      mode: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      source: { type: 'string' },
      name: { type: 'string' },
    },
  });
  const [command, a, b] = positionals;
  if (command === 'export' && a && b) return exportAi(a, b, values.include);
  if (command === 'import' && a) {
    return importFile(a, {
      into: values.into,
      mode: values.mode,
      dryRun: values['dry-run'],
      source: values.source,
      name: values.name,
    });
  }
  console.error(USAGE);
  process.exitCode = command === 'help' ? 0 : 2;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
