/**
 * The retrieval evaluation (eval/): its metrics on hand-made cases, the dev set generator's
 * determinism and guarantees, and one tiny sample run end to end through the emulated API.
 */
import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  describeDevset,
  generateDevset,
  lexicalOverlap,
  sessionsOf,
  type DevSample,
} from '../../eval/generate-devset.js';
import { apiClient, emulatorAdminToken, memoriesOf, runSample } from '../../eval/harness.js';
import { hitAt, percentile, recallAt, setRecall, summarise, type QuestionResult } from '../../eval/metrics.js';
import { API_URL } from '../support/emulators.js';

const TINY = {
  seed: 7,
  conversations: 1,
  sessions: [4, 4] as [number, number],
  turnsPerSession: [10, 12] as [number, number],
  minTurns: 0,
  maxEpisodesPerSession: 3,
};

describe('eval metrics', () => {
  it('recall@k counts distinct evidence turns in the first k, hit@k any of them', () => {
    const ranked = ['D1:2', 'D1:5', 'D1:2', 'D2:1', 'D3:3', 'D4:4'];
    const evidence = ['D1:5', 'D3:3'];
    expect(recallAt(ranked, evidence, 1)).toBe(0);
    expect(recallAt(ranked, evidence, 2)).toBe(0.5);
    expect(recallAt(ranked, evidence, 4)).toBe(0.5);
    expect(recallAt(ranked, evidence, 5)).toBe(1);
    expect(recallAt(ranked, ['D1:2', 'D1:2'], 1)).toBe(1); // duplicated evidence counts once
    expect(recallAt([], evidence, 20)).toBe(0);
    expect(recallAt(ranked, [], 20)).toBe(0);
    expect(hitAt(ranked, evidence, 1)).toBe(0);
    expect(hitAt(ranked, evidence, 2)).toBe(1);
    expect(setRecall(['D3:3', 'D9:9'], evidence)).toBe(0.5);
  });

  it('percentiles are nearest-rank and summaries average per question, leaving failures out', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(
      percentile(
        Array.from({ length: 20 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(19);
    expect(percentile([], 50)).toBeNaN();
    const base: Omit<QuestionResult, 'hybrid' | 'evidence'> = {
      sample_id: 's',
      question: 'q',
      category: 'single_fact',
      keyword: [],
      vector: [],
      context_used: [],
      context_memories: 3,
      context_tokens: 100,
      hybrid_ms: 10,
    };
    const s = summarise([
      { ...base, evidence: ['A'], hybrid: ['A'], keyword: ['A'], context_used: ['A'] },
      { ...base, evidence: ['A', 'B'], hybrid: ['X', 'B'], vector: ['B'], context_tokens: 300, hybrid_ms: 30 },
      { ...base, evidence: ['A'], hybrid: [], error: 'timeout' },
    ]);
    expect(s.n).toBe(2);
    expect(s.recall['@1']).toBe(0.5); // 1 and 0
    expect(s.recall['@5']).toBe(0.75); // 1 and 0.5
    expect(s.hit['@10']).toBe(1);
    expect(s.keyword_recall_10).toBe(0.5);
    expect(s.vector_recall_10).toBe(0.25);
    expect(s.context_recall).toBe(0.5);
    expect(s.context_tokens_mean).toBe(200);
    expect(s.hybrid_ms_p95).toBe(30);
  });
});

describe('eval dev set', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(JSON.stringify(generateDevset(TINY))).toBe(JSON.stringify(generateDevset(TINY)));
    expect(JSON.stringify(generateDevset({ ...TINY, seed: 8 }))).not.toBe(JSON.stringify(generateDevset(TINY)));
  });

  it('meets its minimums: 5+ conversations of 400+ turns over 15+ dated sessions, 500+ questions of every category', () => {
    const samples: DevSample[] = generateDevset();
    const d = describeDevset(samples);
    expect(samples.length).toBeGreaterThanOrEqual(5);
    expect(d.questions).toBeGreaterThanOrEqual(500);
    for (const c of CATEGORIES) expect(d.byCategory[c], c).toBeGreaterThanOrEqual(50);
    for (const s of samples) {
      const sessions = sessionsOf(s.conversation);
      expect(sessions.length).toBeGreaterThanOrEqual(15);
      const turns = sessions.flatMap((x) => x.turns);
      expect(turns.length).toBeGreaterThanOrEqual(400);
      // Session stamps like "1:56 pm on 8 May, 2023", in order.
      const times = sessions.map((x) => {
        expect(x.date).toMatch(/^\d{1,2}:\d\d [ap]m on \d{1,2} [A-Z][a-z]+, \d{4}$/);
        return Date.parse(x.date.replace(/^.* on /, '').replace(',', ''));
      });
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      // dia_ids are D<session>:<turn>, unique, and each session's turns are numbered from 1.
      for (const x of sessions) x.turns.forEach((t, i) => expect(t.dia_id).toBe(`D${x.session}:${i + 1}`));
      const ids = new Set(turns.map((t) => t.dia_id));
      // Both names are everywhere: a keyword shortlist by name is useless.
      const { speaker_a, speaker_b } = s.conversation;
      for (const name of [speaker_a, speaker_b])
        expect(turns.filter((t) => t.speaker === name || t.text.includes(name)).length).toBeGreaterThanOrEqual(250);
      const text = new Map(turns.map((t) => [t.dia_id, t.text]));
      for (const q of s.qa) {
        expect(q.evidence.length, q.question).toBeGreaterThan(0);
        for (const e of q.evidence) expect(ids.has(e), `${q.question}: ${e}`).toBe(true);
        if (q.category === 'multi_hop')
          expect(new Set(q.evidence.map((e) => e.split(':')[0])).size, q.question).toBeGreaterThanOrEqual(2);
        // Questions are worded apart from the turns that answer them.
        for (const e of q.evidence) expect(text.get(e)?.toLowerCase()).not.toContain(q.question.toLowerCase());
        expect(CATEGORIES).toContain(q.category);
      }
    }
    expect(d.meanLexicalOverlap).toBeLessThan(0.2);
  });

  it('measures the words a question shares with its evidence, leaving names out', () => {
    expect(lexicalOverlap('Which city does Maya live in?', 'Maya: I live in Porto, a lovely city')).toBe(1);
    expect(lexicalOverlap('Where is Maya based these days?', 'Maya: Got the keys to my flat in Porto')).toBe(0);
  });
});

describe('eval harness against the API', () => {
  it('ingests a tiny sample, asks its questions in every mode and maps results back to turns', async () => {
    const [sample] = generateDevset(TINY);
    if (!sample) throw new Error('no sample');
    const turns = sessionsOf(sample.conversation).flatMap((x) => x.turns);
    // A question that is a turn word for word: keyword search must rank that turn first.
    const exact = turns.find((t) => t.text.length > 60) ?? turns[0];
    if (!exact) throw new Error('no turns');
    const probe = { question: exact.text, answer: '', evidence: [exact.dia_id], category: 'single_fact' as const };
    const lines: string[] = [];
    const run = await runSample(
      apiClient(API_URL),
      await emulatorAdminToken(),
      { ...sample, qa: [probe, ...sample.qa] },
      {
        tier: 'long_term_memory',
        // Few in flight: each concurrent request of the Functions emulator starts a worker that
        // loads the embedding model first, which would cost this test more than the run itself.
        ingestConcurrency: 2,
        questionConcurrency: 1,
        questions: 6,
        withDate: false,
        keep: false,
        log: (l) => lines.push(l),
      },
    );
    expect(run.error).toBeUndefined();
    expect(run.ingest?.memories).toBe(turns.length);
    expect(memoriesOf(sample)).toHaveLength(turns.length);
    expect(run.questions).toHaveLength(6);
    const ids = new Set(turns.map((t) => t.dia_id));
    for (const q of run.questions) {
      expect(q.error, q.question).toBeUndefined();
      for (const id of [...q.hybrid, ...q.keyword, ...q.vector, ...q.context_used]) expect(ids.has(id), id).toBe(true);
      expect(q.hybrid.length).toBeGreaterThan(0);
      expect(q.context_tokens).toBeGreaterThan(0);
      expect(q.hybrid_ms).toBeGreaterThan(0);
    }
    const first = run.questions[0];
    expect(first?.question).toBe(exact.text);
    expect(first?.keyword[0]).toBe(exact.dia_id);
    expect(recallAt(first?.hybrid ?? [], [exact.dia_id], 5)).toBe(1);
    expect(summarise(run.questions).n).toBe(6);
  }, 60_000); // ~13 s alone; room for a loaded machine
});
