/**
 * @module eval/extraction/harness — runs one fixture conversation (generate.ts) through the real
 * API on the emulators and scores the AI's final memory against the expected one.
 *
 * Per conversation: a new AI (handshake), the stand-in scripted with the conversation's rules
 * (`POST /__extraction/script`, keyed by the AI's uuid), extraction turned on with the
 * conversation's personal-data policy, then every user message sent one at a time through
 * `/v1/chat/completions` with the official `openai` client (a session per fixture session: the
 * first message opens it, the rest continue it with `session_id`), waiting after each for its
 * extraction job to end (done or failed), so the order of facts is the conversation's. Then the
 * four tiers are read through the API.
 *
 * Scores (see eval/README.md): precision = stored long-term memories that are expected (a second
 * copy of one is not) / stored; recall = expected facts stored / expected; duplicate rate = stored
 * memories whose words (normalised) repeat another stored memory's / stored; superseded correctly =
 * expected changes whose old fact is in the archive with `superseded_by` naming the memory that
 * says the new one / expected changes; secrets stored = memories of any tier holding a secret
 * the conversation gave.
 */
import OpenAI from 'openai';
import { API_URL } from '../../tests/support/emulators.js';
import { call, newAi, type AiSession } from '../../tests/support/http.js';
import type { Conversation } from './generate.js';

const FAKE_LLM_URL = process.env.FAKE_LLM_URL ?? 'http://127.0.0.1:5055';
const TIERS = ['working_memory', 'long_term_memory', 'personal_logs', 'archive'] as const;
/** How long one exchange's extraction may take before the run stops with a clear message. */
const JOB_DEADLINE_MS = 60_000;

/** What the harness reads of a memory and of a job (the API gives more). */
export interface StoredMemory {
  memory_id: string;
  content: string;
  superseded_by?: string | null;
}
interface Job {
  status: string;
  rejected_by_reason: Record<string, number>;
}
interface Page {
  memories?: StoredMemory[];
  next_cursor?: string | null;
  extractions?: Job[];
}

export interface ConversationRun {
  conversation: Conversation;
  ai: AiSession;
  exchanges: number;
  jobsFailed: number;
  rejectedByReason: Record<string, number>;
  memories: Record<(typeof TIERS)[number], StoredMemory[]>;
}

export interface Score {
  stored: number;
  expected: number;
  correct: number;
  found: number;
  duplicates: number;
  changes: number;
  changesCorrect: number;
  secretsStored: number;
  jobsFailed: number;
  /** What went wrong, for the report: stored but not expected, expected but missing, changes not linked. */
  unexpected: string[];
  missing: string[];
  unlinked: string[];
}

const normalise = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

async function ok(reply: Promise<{ status: number; body: unknown }>, what: string): Promise<Page> {
  const r = await reply;
  if (r.status < 200 || r.status >= 300)
    throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return r.body as Page;
}

async function listTier(ai: AiSession, tier: string): Promise<StoredMemory[]> {
  const out: StoredMemory[] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const body = await ok(
      call('GET', `/v1/ais/${ai.ai_uuid}/memories/${tier}?limit=100${q}`, { token: ai.api_key }),
      `listing ${tier}`,
    );
    out.push(...(body.memories ?? []));
    cursor = body.next_cursor ?? null;
  } while (cursor);
  return out;
}

async function jobs(ai: AiSession): Promise<Job[]> {
  const body = await ok(call('GET', `/v1/ais/${ai.ai_uuid}/extractions?limit=100`, { token: ai.api_key }), 'jobs');
  return body.extractions ?? [];
}

/** Waits until `n` jobs of the AI have ended; throws after the deadline with what it saw. */
async function settled(ai: AiSession, n: number, what: string): Promise<Job[]> {
  const deadline = Date.now() + JOB_DEADLINE_MS;
  for (;;) {
    const all = await jobs(ai);
    const ended = all.filter((j) => j.status === 'done' || j.status === 'failed');
    if (ended.length >= n) return all;
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: ${ended.length} of ${n} extraction jobs ended after ${JOB_DEADLINE_MS / 1000} s ` +
          `(statuses: ${all.map((j) => j.status).join(', ') || 'no job'}); is the extract trigger running? see artifacts/logs/`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function runConversation(c: Conversation): Promise<ConversationRun> {
  const ai = await newAi(`eval-${c.id}`);
  const res = await fetch(`${FAKE_LLM_URL}/__extraction/script`, {
    method: 'POST',
    body: JSON.stringify({ user: ai.ai_uuid, ...c.script }),
  });
  if (res.status !== 204) throw new Error(`scripting the model stand-in at ${FAKE_LLM_URL}: HTTP ${res.status}`);
  await ok(
    call('PATCH', `/v1/ais/${ai.ai_uuid}/extraction`, {
      token: ai.api_key,
      body: { enabled: true, personal_data: c.personal_data },
    }),
    'turning extraction on',
  );
  const client = new OpenAI({ apiKey: ai.api_key, baseURL: `${API_URL}/v1`, maxRetries: 2, timeout: 30_000 });
  let exchanges = 0;
  for (const [s, session] of c.sessions.entries()) {
    let sessionId: string | null = null;
    for (const text of session) {
      const body: OpenAI.ChatCompletionCreateParamsNonStreaming & { session_id?: string } = {
        model: 'fake-echo',
        messages: [{ role: 'user' as const, content: text }],
        ...(sessionId ? { session_id: sessionId } : {}),
      };
      const { response }: { response: Response } = await client.chat.completions.create(body).withResponse();
      sessionId ??= response.headers.get('x-memory-weaver-session-id');
      exchanges += 1;
      await settled(ai, exchanges, `${c.id} session ${s + 1}, exchange ${exchanges}`);
    }
  }
  const all = await jobs(ai);
  const rejectedByReason: Record<string, number> = {};
  for (const j of all) {
    for (const [reason, n] of Object.entries(j.rejected_by_reason)) {
      rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + n;
    }
  }
  const memories = Object.fromEntries(
    await Promise.all(TIERS.map(async (t) => [t, await listTier(ai, t)] as const)),
  ) as ConversationRun['memories'];
  return {
    conversation: c,
    ai,
    exchanges,
    jobsFailed: all.filter((j) => j.status === 'failed').length,
    rejectedByReason,
    memories,
  };
}

export function score(run: ConversationRun): Score {
  const { expected } = run.conversation;
  const stored = run.memories.long_term_memory.map((m) => m.content);
  const want = new Set(expected.long_term);
  const seen = new Set<string>();
  const seenWords = new Set<string>();
  let correct = 0;
  let duplicates = 0;
  const unexpected: string[] = [];
  for (const content of stored) {
    const words = normalise(content);
    if (seenWords.has(words)) duplicates += 1;
    seenWords.add(words);
    if (want.has(content) && !seen.has(content)) correct += 1;
    else if (!want.has(content)) unexpected.push(content);
    seen.add(content);
  }
  const missing = expected.long_term.filter((f) => !seen.has(f));
  const byId = new Map<string, string>();
  for (const m of [...run.memories.long_term_memory, ...run.memories.archive]) byId.set(m.memory_id, m.content);
  const unlinked: string[] = [];
  let changesCorrect = 0;
  for (const change of expected.superseded) {
    const linked = run.memories.archive.some(
      (m) =>
        m.content === change.old && typeof m.superseded_by === 'string' && byId.get(m.superseded_by) === change.new,
    );
    if (linked) changesCorrect += 1;
    else unlinked.push(`${change.old} → ${change.new}`);
  }
  const everything = Object.values(run.memories)
    .flat()
    .map((m) => JSON.stringify(m));
  const secretsStored = everything.filter((m) => expected.secrets.some((s) => m.includes(s))).length;
  return {
    stored: stored.length,
    expected: expected.long_term.length,
    correct,
    found: expected.long_term.length - missing.length,
    duplicates,
    changes: expected.superseded.length,
    changesCorrect,
    secretsStored,
    jobsFailed: run.jobsFailed,
    unexpected,
    missing,
    unlinked,
  };
}

export function total(scores: Score[]): Score {
  const sum = (k: keyof Score) => scores.reduce((a, s) => a + (s[k] as number), 0);
  return {
    stored: sum('stored'),
    expected: sum('expected'),
    correct: sum('correct'),
    found: sum('found'),
    duplicates: sum('duplicates'),
    changes: sum('changes'),
    changesCorrect: sum('changesCorrect'),
    secretsStored: sum('secretsStored'),
    jobsFailed: sum('jobsFailed'),
    unexpected: scores.flatMap((s) => s.unexpected),
    missing: scores.flatMap((s) => s.missing),
    unlinked: scores.flatMap((s) => s.unlinked),
  };
}

export const rate = (a: number, b: number) => (b === 0 ? 1 : a / b);
export const pct = (a: number, b: number) => `${(rate(a, b) * 100).toFixed(1)} %`;

/** Deletes the AI (and with it its memories) unless the run was asked to keep them. */
export async function forget(ai: AiSession, adminToken: string): Promise<void> {
  await call('DELETE', `/v1/ais/${ai.ai_uuid}`, { token: adminToken });
}
