/**
 * @module bench/consolidation — consolidating one AI with 1,000 old working-memory entries (total
 * time, and Firestore reads and writes per entry, counted from the code's shape: see below), then
 * the scheduled pass over 100 AIs of 10 old entries each. No model is involved (a run of the
 * lifecycle asks none). Goal (issue 12): under 30 s for 1,000 entries, at most 6 reads + writes
 * per entry.
 *
 * The entries are written straight into Firestore (documents shaped as the API writes them, their
 * times set in the past): seeding 100,000 memories through the API would time the seeding.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { systemClock, tierRef } from '@memory-weaver/core';
import { consolidateAi, consolidateAll } from '../functions/src/consolidation/consolidate.js';
import { runsRef } from '../functions/src/consolidation/runs.js';
import { db } from '../tests/support/emulators.js';
import { newAi, type AiSession } from '../tests/support/http.js';

const DAY = 86_400_000;

async function seed(ai: AiSession, n: number): Promise<void> {
  const writer = db.bulkWriter();
  const actor = { kind: 'ai_key', id: 'bench' };
  for (let i = 0; i < n; i++) {
    const at = Timestamp.fromMillis(Date.now() - 10 * DAY - (n - i) * 1000);
    void writer.create(tierRef(db, ai.ai_uuid, 'working_memory').doc(`bench-${i}`), {
      content: `User: message ${i}\nAssistant: answer ${i}`,
      metadata: { kind: 'chat_exchange' },
      createdAt: at,
      updatedAt: at,
      createdBy: actor,
      updatedBy: actor,
      source: 'bench',
      updatedVia: 'bench',
      movedFrom: null,
      movedAt: null,
    });
  }
  await writer.close();
}

export async function benchConsolidation(): Promise<string> {
  const lines = ['consolidation (in process, Firestore emulator, no model)'];
  const ai = await newAi('bench-consolidation');
  await seed(ai, 1_000);
  const t0 = performance.now();
  const runId = await consolidateAi({ db, clock: systemClock }, ai.ai_uuid, {});
  const seconds = (performance.now() - t0) / 1000;
  const run = (await runsRef(db, ai.ai_uuid).doc(String(runId)).get()).data();
  const moved = (run?.outcomes as { outcome: string }[]).filter((o) => o.outcome === 'moved').length;
  // Per entry: the plan's query reads 1; each move's transaction reads 2 (the memory, the archive
  // slot) and writes 4 (archive create, working-memory delete, event, version); per commit of up to
  // 32 moves the registry is read and updated once; per batch of 100 the run is updated once.
  const perEntry = 1 + 2 + 4 + 2 / 32 + 1 / 100;
  lines.push(
    `  1,000 working-memory entries: ${seconds.toFixed(1)} s, ${moved} moved (${(moved / seconds).toFixed(0)}/s); ` +
      `goal < 30 s: ${seconds < 30 ? 'met' : 'not met'}`,
    `  Firestore reads + writes per entry: ~${perEntry.toFixed(2)} (3 reads, 4 writes, shares of the commit and batch); ` +
      `goal <= 6: not met (the archive slot's read is what tells a resumed run its own earlier move)`,
  );

  const ais = await Promise.all(Array.from({ length: 100 }, (_, i) => newAi(`bench-consolidation-${i}`)));
  await Promise.all(ais.map((a) => seed(a, 10)));
  const t1 = performance.now();
  const report = await consolidateAll({ db, clock: systemClock });
  const pass = (performance.now() - t1) / 1000;
  lines.push(
    `  scheduled pass: ${report.ais} live AIs visited (100 seeded with 10 old entries each), ${report.runs} runs, ` +
      `${report.failed.length} failed, ${pass.toFixed(1)} s`,
  );
  return lines.join('\n');
}
