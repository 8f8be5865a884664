/**
 * @module bench/consolidation — consolidating one AI with 1,000 old working-memory entries (total
 * time; Firestore reads and writes per entry), then the scheduled pass over 100 AIs of 10 old
 * entries each. Zero-latency model: the entries are chat exchanges (already through extraction)
 * and reflections are off, so no model is asked. Goal (issue 12): under 30 s for 1,000 entries,
 * at most 6 reads + writes per entry.
 *
 * Reads and writes are counted from what the run left, not from a formula alone: the documents
 * written (archive entries, events, versions, the run's updates) and the commits (distinct commit
 * times of the run's events: each commit also reads and updates the registry entry once). Reads:
 * the plan's query (one per entry) and each move's read of its memory. A transaction retried
 * after a lost race would read again; that is not visible here, so the reads are a floor.
 *
 * The entries are written straight into Firestore (documents shaped as the API writes them, their
 * times set in the past): seeding 100,000 memories through the API would time the seeding.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { eventsRef, systemClock, tierRef } from '@memory-weaver/core';
import { consolidateAi, consolidateAll } from '../functions/src/consolidation/consolidate.js';
import { BATCH } from '../functions/src/consolidation/execute.js';
import { runsRef } from '../functions/src/consolidation/runs.js';
import { versionsRef } from '../functions/src/memory/versions.js';
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
      metadata: { kind: 'chat_exchange', session_id: 'bench-session' },
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

/** Reads and writes the run made, counted from what it left. */
async function opsOf(ai: AiSession, runId: string, entries: number) {
  const events = (await eventsRef(db, ai.ai_uuid).where('type', '==', 'moved').get()).docs;
  const commits = new Set(events.map((e) => `${e.createTime.seconds}.${e.createTime.nanoseconds}`)).size;
  const archived = (await tierRef(db, ai.ai_uuid, 'archive').where('consolidation.runId', '==', runId).get()).size;
  const left = (await tierRef(db, ai.ai_uuid, 'working_memory').get()).size;
  const versions = (await versionsRef(db, ai.ai_uuid).get()).size;
  const batches = Math.ceil(entries / BATCH);
  // Reads: the plan's query (one per entry), each move's read of its memory, the registry once per
  // commit, and per run a handful (registry, session, proposal queries, the run's claim).
  const reads = entries + archived + commits + 5;
  // Writes: archive creates, working-memory deletes, events, versions, the registry once per commit,
  // the run's update per batch, and per run its create, claim and finish.
  const writes = archived + (entries - left) + events.length + versions + commits + batches + 3;
  return { reads, writes, commits, versions, perEntry: (reads + writes) / entries };
}

export async function benchConsolidation(): Promise<string> {
  const lines = ['consolidation (in process, Firestore emulator, no model asked)'];
  const ai = await newAi('bench-consolidation');
  await seed(ai, 1_000);
  const t0 = performance.now();
  const runId = String(await consolidateAi({ db, clock: systemClock }, ai.ai_uuid, {}));
  const seconds = (performance.now() - t0) / 1000;
  const run = (await runsRef(db, ai.ai_uuid).doc(runId).get()).data();
  const moved = (run?.outcomes as { outcome: string }[]).filter((o) => o.outcome === 'moved').length;
  const ops = await opsOf(ai, runId, 1_000);
  lines.push(
    `  1,000 working-memory entries: ${seconds.toFixed(1)} s, ${moved} moved (${(moved / seconds).toFixed(0)}/s); ` +
      `goal < 30 s: ${seconds < 30 ? 'met' : 'NOT met'}`,
    `  Firestore reads + writes per entry: ${ops.perEntry.toFixed(2)} (${ops.reads} reads, ${ops.writes} writes; ` +
      `${ops.commits} commits, ${ops.versions} versions); goal <= 6: ${ops.perEntry <= 6 ? 'met' : 'NOT met'}`,
  );

  // A few handshakes at a time: the Functions emulator starts a worker process per concurrent
  // request, and a hundred at once fail to load (seen here); production would take them all.
  const ais: AiSession[] = [];
  for (let i = 0; i < 100; i += 4) {
    ais.push(...(await Promise.all([0, 1, 2, 3].map((k) => newAi(`bench-consolidation-${i + k}`)))));
  }
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
