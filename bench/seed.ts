/**
 * @module bench/seed — many memories of one AI, written straight to Firestore, fast and reliably.
 *
 * Each memory is what createMemory writes (memory/record.ts `newMemoryDoc`: content, metadata,
 * times, provenance; no vector), and its vector is what the search index stores once it has met
 * the memory (search/vectors.ts: `ai_registry/{ai}/vectors/{memory_id}` with `embedding`,
 * `embeddingModel` and the content's `contentKey`), so a cold index builds from them as from real,
 * searched memories without embedding anything. No events are written and the registry's
 * `eventSeq` stays 0 (what the handshake leaves), which is consistent: the index reads `eventSeq`,
 * then applies the events after it, of which there are none. `seedMemories` checks both.
 *
 * The shortcut, said wherever figures are printed (SEED_NOTE): the local embedder does ~180 texts/s,
 * so 10,000 memories would take ~1 minute of embedding before any measuring. Instead a few hundred
 * distinct sentences are embedded once, and memory i is sentence i mod 400 with its number
 * appended, stored with that sentence's vector plus small Gaussian noise (σ 0.01 per dimension,
 * cosine ≈ 0.975 to the original), renormalised. Every memory thus has its own vector near a real
 * sentence's, and its own words.
 *
 * Writes go in batches of at most 2 MiB and 500 writes (the emulator refuses gRPC messages over
 * 4 MiB; a 512-d vector is ~4.6 KB on the wire), committed one after another. Each batch is retried on a
 * transient error: its document ids are fixed before the first attempt, so a retry only rewrites
 * the same documents. A BulkWriter sends as fast as it can and, at 10,000 memories with vectors,
 * ran the emulator into DEADLINE_EXCEEDED (issue 9).
 */
import { FieldValue, Timestamp, type Firestore, type WriteBatch } from 'firebase-admin/firestore';
import type { MemoryType } from '@memory-weaver/protocol';
import { aiRef, eventsRef, tierRef } from '@memory-weaver/core';
import type { Embedder } from '../functions/src/embeddings/base.js';
import { newMemoryDoc } from '../functions/src/memory/record.js';
import { contentKey, packVector, vectorsRef } from '../functions/src/search/vectors.js';
import { seeded } from '../tests/support/random.js';

export const BASE_SENTENCES = 400;
const NOISE_SIGMA = 0.01;
const MAX_BATCH_BYTES = 2 * 1024 * 1024;
/** Firestore's own limit on writes in one batch. */
const MAX_BATCH_WRITES = 500;

export const SEED_NOTE =
  `seeded directly in Firestore (memory documents as createMemory writes them, vectors where the index stores ` +
  `them, no events, eventSeq 0): ${BASE_SENTENCES} distinct ` +
  `sentences embedded once, memory i = sentence i mod ${BASE_SENTENCES} + " (note i)" with that sentence's ` +
  `vector plus Gaussian noise (σ ${NOISE_SIGMA}/dim, cosine ≈ 0.975), renormalised`;

const SUBJECTS = [
  'the garden',
  'the quarterly report',
  'a trip to Porto',
  'the new bicycle',
  'grandmother',
  'the database migration',
  'a chess tournament',
  'the cat',
  'piano lessons',
  'the flat upstairs',
  'a recipe for dal',
  'the football club',
  'the dentist appointment',
  'a novel by Le Guin',
  'the sourdough starter',
  'the broken dishwasher',
  'a hiking route in the Alps',
  'the tax return',
  'learning Portuguese',
  'the wedding in June',
  'the noisy neighbours',
  'a job interview',
  'the vegetable patch',
  'the marathon training',
  'an old friend from school',
];
const ACTIONS = [
  'mentioned',
  'worried about',
  'was excited about',
  'asked again about',
  'finished',
  'postponed',
  'talked for an hour about',
  'complained about',
  'made plans for',
  'laughed about',
  'wrote a long note on',
  'changed their mind about',
  'asked for advice on',
  'forgot about',
  'celebrated',
  'felt unsure about',
];
const WHEN = ['this morning', 'last night', 'on Sunday', 'after work', 'during lunch', 'before the holidays'];

/** The i-th base sentence: distinct for 0 ≤ i < SUBJECTS × ACTIONS (400). */
export function baseSentence(i: number): string {
  const subject = SUBJECTS[i % SUBJECTS.length] as string;
  const action = ACTIONS[Math.floor(i / SUBJECTS.length) % ACTIONS.length] as string;
  const when = WHEN[i % WHEN.length] as string;
  return `The user ${action} ${subject} ${when}.`;
}

export interface Corpus {
  embedderId: string;
  /** Memory i: its content and vector (unit length). */
  memory(i: number): { content: string; vector: number[] };
}

/** Embeds the base sentences once (~2 s); `memory(i)` derives the rest. */
export async function makeCorpus(embedder: Embedder): Promise<Corpus> {
  const sentences = Array.from({ length: BASE_SENTENCES }, (_, i) => baseSentence(i));
  const vectors: number[][] = [];
  for (let i = 0; i < sentences.length; i += 64) vectors.push(...(await embedder.embed(sentences.slice(i, i + 64))));
  return {
    embedderId: embedder.id,
    memory(i) {
      const base = vectors[i % BASE_SENTENCES] ?? [];
      const next = seeded(i + 1);
      const v = base.map((x) => {
        // Box-Muller: one standard normal number from two uniform ones.
        const g = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
        return x + NOISE_SIGMA * g;
      });
      const norm = Math.hypot(...v) || 1;
      return { content: `${sentences[i % BASE_SENTENCES]} (note ${i})`, vector: v.map((x) => x / norm) };
    },
  };
}

const TRANSIENT = new Set([4, 8, 10, 13, 14]); // DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE

async function commitWithRetry(batch: WriteBatch): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await batch.commit();
      return;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (attempt >= 6 || typeof code !== 'number' || !TRANSIENT.has(code)) throw err;
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
}

/**
 * Writes memories `from` … `from + n - 1` of the corpus into one tier of the AI, created one
 * second apart ending now (so "newest" means the highest numbers). Returns the seconds it took.
 */
export async function seedMemories(
  db: Firestore,
  aiUuid: string,
  corpus: Corpus,
  n: number,
  options: { tier?: MemoryType; from?: number } = {},
): Promise<number> {
  const started = performance.now();
  const tier = options.tier ?? 'long_term_memory';
  const from = options.from ?? 0;
  const actor = { kind: 'admin', id: 'bench-seed' } as const;
  const now = Date.now();
  let batch = db.batch();
  let bytes = 0;
  let writes = 0;
  for (let i = 0; i < n; i++) {
    const { content, vector } = corpus.memory(from + i);
    const size = content.length * 3 + vector.length * 9 + 1024;
    if (bytes + size > MAX_BATCH_BYTES || writes + 2 > MAX_BATCH_WRITES) {
      await commitWithRetry(batch);
      batch = db.batch();
      bytes = 0;
      writes = 0;
    }
    bytes += size;
    writes += 2;
    const at = Timestamp.fromMillis(now - (n - i) * 1000);
    const ref = tierRef(db, aiUuid, tier).doc();
    batch.set(ref, newMemoryDoc(content, {}, actor, 'bench seed', at));
    batch.set(vectorsRef(db, aiUuid).doc(ref.id), {
      embedding: FieldValue.vector(vector),
      packed: packVector(vector),
      embeddingModel: corpus.embedderId,
      contentKey: contentKey(content),
    });
  }
  if (writes > 0) await commitWithRetry(batch);
  const [registry, events] = await Promise.all([aiRef(db, aiUuid).get(), eventsRef(db, aiUuid).limit(1).get()]);
  const seq = Number(registry.get('eventSeq') ?? 0);
  if (seq !== 0 || !events.empty) {
    throw new Error(`seeding ${aiUuid}: expected eventSeq 0 and no events, found ${seq} and ${events.size}`);
  }
  return (performance.now() - started) / 1000;
}

/**
 * Firestore's own nearest-vector query over the AI's stored vectors (limit 20, COSINE): the floor
 * the index is compared with. Vectors live in `vectors/{memory_id}` (search/vectors.ts); memory
 * documents carry none, so this is the collection a bare vector search has to run over.
 */
export const bareFindNearest = (db: Firestore, aiUuid: string, vector: number[], limit = 20) =>
  vectorsRef(db, aiUuid)
    .findNearest({ vectorField: 'embedding', queryVector: FieldValue.vector(vector), limit, distanceMeasure: 'COSINE' })
    .get();

/** Questions about the seeded memories' subjects, asked by the search and chat benches. */
export const BENCH_QUESTIONS = [
  'How is the garden doing?',
  'What happened with the database migration?',
  'Did the user go to Porto?',
  'How are the piano lessons going?',
  'What about the cat?',
  'Any news on the tax return?',
  'Is the marathon training going well?',
  'What did the user say about the dishwasher?',
  'How is learning Portuguese coming along?',
  'When is the wedding?',
  'Tell me about the chess tournament',
  'Did the job interview go well?',
  'What did grandmother say?',
  'Which book was the user reading?',
  'How is the sourdough starter?',
  'What is going on with the neighbours?',
];
