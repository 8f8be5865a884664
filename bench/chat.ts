/**
 * @module bench/chat — the cost of grounding a completion: context assembly (everything but the
 * model: query embedding, hybrid search of three tiers, recent memory, session history) at 100,
 * 1,000 and 10,000 memories per AI, beside a bare `findNearest` (limit 20) over the same memories'
 * stored vectors (the emulator searches vectors by brute force, so that is the floor here); the embedder's speed;
 * and tokens injected against the tokens of the whole session history.
 */
import { randomUUID } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import { assembleContext } from '../functions/src/chat/context.js';
import { sessionsRef, turnsRef } from '../functions/src/chat/sessions.js';
import { estimateTokens } from '../functions/src/chat/tokens.js';
import { createLocalEmbedder } from '../functions/src/embeddings/local.js';
import { AiIndexes } from '../functions/src/search/aiIndexes.js';
import { db } from '../tests/support/emulators.js';
import { newAi } from '../tests/support/http.js';
import {
  BENCH_QUESTIONS,
  bareFindNearest,
  baseSentence,
  makeCorpus,
  seedMemories,
  SEED_NOTE,
  type Corpus,
} from './seed.js';
import { percentile } from './stats.js';

const embedder = createLocalEmbedder();
/** One instance's indexes, as the function has them; each AI here is new, so its first search builds its index. */
const search = { embedder, indexes: new AiIndexes(db, embedder, { maxMemories: 1_000_000 }) };
/** A distinct sentence per i (bench/seed.ts's, with the number to keep it distinct past 400). */
const sentence = (i: number) => `${baseSentence(i)} (note ${String(i)})`;
/** The first five of the search bench's questions. */
const QUESTIONS = BENCH_QUESTIONS.slice(0, 5);

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95) };
};

/** The seeded memories (bench/seed.ts): a few hundred embedded sentences, each memory a perturbed copy. */
let corpus: Promise<Corpus> | undefined;
async function seed(aiUuid: string, n: number): Promise<void> {
  await seedMemories(db, aiUuid, await (corpus ??= makeCorpus(embedder)), n);
}

async function assembly(n: number): Promise<string> {
  const ai = await newAi(`bench-chat-${n}`);
  await seed(ai.ai_uuid, n);
  const settings = { name: ai.ai_name, instructions: '', contextTokens: 2_000 };
  const assemble: number[] = [];
  const bare: number[] = [];
  const rounds = n >= 10_000 ? 30 : 60;
  for (let i = 0; i < rounds + 5; i++) {
    const question = QUESTIONS[i % QUESTIONS.length] as string;
    let t = performance.now();
    await assembleContext(search, db, ai.ai_uuid, settings, null, [{ role: 'user', content: question }]);
    const a = performance.now() - t;
    const [vector] = await embedder.embed([question]);
    t = performance.now();
    await bareFindNearest(db, ai.ai_uuid, vector ?? []);
    const b = performance.now() - t;
    if (i >= 5) {
      assemble.push(a);
      bare.push(b);
    }
  }
  const sa = stats(assemble);
  const sb = stats(bare);
  return `  ${String(n).padStart(6)} memories: assembly p50 ${sa.p50.toFixed(1)} ms p95 ${sa.p95.toFixed(1)} ms | bare findNearest p50 ${sb.p50.toFixed(1)} ms p95 ${sb.p95.toFixed(1)} ms | p95 ratio ${(sa.p95 / sb.p95).toFixed(2)}x`;
}

async function embeddingSpeed(): Promise<string> {
  await embedder.embed(['warm up']);
  let t = performance.now();
  for (let i = 0; i < 100; i++) await embedder.embed([sentence(i)]);
  const single = 100 / ((performance.now() - t) / 1000);
  t = performance.now();
  for (let i = 0; i < 10; i++) await embedder.embed(Array.from({ length: 64 }, (_, j) => sentence(i * 64 + j)));
  const batched = 640 / ((performance.now() - t) / 1000);
  return `  embedder ${embedder.id}: ${single.toFixed(0)} texts/s one at a time, ${batched.toFixed(0)} texts/s in batches of 64`;
}

async function tokensAgainstHistory(turns: number): Promise<string> {
  const ai = await newAi(`bench-tokens-${turns}`);
  await seed(ai.ai_uuid, 200);
  const sessionId = randomUUID().replace(/-/g, '');
  const writer = db.bulkWriter();
  let full = 0;
  void writer.set(sessionsRef(db, ai.ai_uuid).doc(sessionId), {
    name: 'bench',
    createdAt: Timestamp.now(),
    updatedAt: Timestamp.now(),
    turns,
  });
  for (let i = 0; i < turns; i++) {
    const message = `Turn ${i}: ${sentence(i)} What do you think about it?`;
    const response = `Answer ${i}: ${'that sounds reasonable, tell me more about it. '.repeat(4)}`;
    full += estimateTokens(message) + estimateTokens(response);
    void writer.set(turnsRef(db, ai.ai_uuid, sessionId).doc(), {
      message,
      response,
      timestamp: Timestamp.fromMillis(Date.now() - (turns - i) * 1000),
      userId: 'bench',
      model: 'bench',
    });
  }
  await writer.close();
  const c = await assembleContext(
    search,
    db,
    ai.ai_uuid,
    { name: ai.ai_name, instructions: '', contextTokens: 2_000 },
    sessionId,
    [{ role: 'user', content: 'How is the garden doing?' }],
  );
  return `  ${String(turns).padStart(4)} turns: injected ${c.tokens.total} tokens (memories ${c.tokens.memories}, history ${c.tokens.history}) of a 2,000 budget; the whole history is ${full} tokens`;
}

export async function benchChat(): Promise<string> {
  return [
    '## Chat grounding (in process, Firestore emulator, offline embedder)',
    `  memories ${SEED_NOTE}`,
    await embeddingSpeed(),
    await assembly(100),
    await assembly(1_000),
    await assembly(10_000),
    await tokensAgainstHistory(50),
    await tokensAgainstHistory(200),
  ].join('\n');
}
