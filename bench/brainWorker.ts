/**
 * @module bench/brainWorker — one export or import in a process of its own, so that its peak RSS
 * (`process.resourceUsage().maxRSS`) is that work's alone: run by bench/brain.ts, prints one JSON line.
 *
 *   tsx bench/brainWorker.ts baseline <ai_uuid>                 the modules loaded and one Firestore read
 *   tsx bench/brainWorker.ts export <ai_uuid> <file> [include]  the export module's lines, written to <file>
 *   tsx bench/brainWorker.ts import <file>                      the import module: <file> into a new AI
 */
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { aiRef, systemClock, type Principal } from '@memory-weaver/core';
import { exportBrain } from '../functions/src/brain/exportBrain.js';
import { importBrain } from '../functions/src/brain/importBrain.js';
// The model loads lazily, on a first embed: neither export nor import embeds, so it never loads here.
import { createLocalEmbedder } from '../functions/src/embeddings/local.js';
import { db } from '../tests/support/emulators.js';

const embedder = createLocalEmbedder();
const admin: Principal = { kind: 'admin', uid: 'bench-brain' };
const peakMiB = () => process.resourceUsage().maxRSS / 1024;

async function exportTo(aiUuid: string, file: string, include: string): Promise<Record<string, unknown>> {
  const started = performance.now();
  const bundle = await exportBrain(db, embedder, {
    aiUuid,
    viewer: admin,
    include: { events: include.includes('events'), vectors: include.includes('vectors') },
  });
  const out = createWriteStream(file);
  let bytes = 0;
  for await (const line of bundle.lines) {
    bytes += Buffer.byteLength(line);
    // Backpressure as the route does it: a slow disk holds the reads back, not memory.
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return { seconds: (performance.now() - started) / 1000, bytes };
}

async function importFrom(file: string): Promise<Record<string, unknown>> {
  const started = performance.now();
  const text = await readFile(file, 'utf8');
  const { report } = await importBrain(
    { db, clock: systemClock, embedder, caller: admin, via: 'bench' },
    { text, source: 'brain', mode: 'merge', dryRun: false, aiName: 'bench-brain-import' },
  );
  return { seconds: (performance.now() - started) / 1000, ai_uuid: report.ai_uuid, added: report.counts.added };
}

async function main(): Promise<void> {
  const [command, a, b, c] = process.argv.slice(2);
  let result: Record<string, unknown>;
  if (command === 'baseline' && a) {
    await aiRef(db, a).get();
    result = {};
  } else if (command === 'export' && a && b) result = await exportTo(a, b, c ?? '');
  else if (command === 'import' && a) result = await importFrom(a);
  else throw new Error(`usage: brainWorker baseline|export|import …, got ${process.argv.slice(2).join(' ')}`);
  console.log(JSON.stringify({ ...result, peak_rss_mib: peakMiB() }));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
