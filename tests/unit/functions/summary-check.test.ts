/**
 * The code half of a session summary's check (functions/src/consolidation/summaries/check.ts,
 * pinned.ts): what is pinned in a conversation, how formats are normalised so that a rewording
 * keeps a fact, and what a summary that leaves something out is told it dropped.
 */
import { describe, expect, it } from 'vitest';
import { checkSummary, factsToKeep } from '../../../functions/src/consolidation/summaries/check.js';
import { canonicalNumber, namesIn, pinnedFacts } from '../../../functions/src/consolidation/summaries/pinned.js';

const texts = (text: string, kind: string) =>
  pinnedFacts(text)
    .filter((p) => p.kind === kind)
    .map((p) => p.text);

describe('pinned facts', () => {
  it('pins names but not the capitalised filler that opens sentences', () => {
    expect(namesIn('Thanks! My sister Alice moved to New York. Sure, I will tell Bob.')).toEqual([
      'Alice',
      'New York',
      'Bob',
    ]);
    expect(namesIn("Okay. The weather is nice. Let's go. You said: Please remember that.")).toEqual([]);
    expect(namesIn("Alice's cat is called Miso.")).toEqual(['Alice', 'Miso']);
  });

  it('pins numbers with their formats normalised', () => {
    expect(pinnedFacts('The budget is $42,000 and we need 3.50 litres, 15% off, flight LH441.')).toEqual(
      expect.arrayContaining([
        { kind: 'number', text: '$42,000', keys: ['n:42000'] },
        { kind: 'number', text: '3.50', keys: ['n:3.5'] },
        { kind: 'number', text: '15%', keys: ['n:15'] },
        { kind: 'number', text: 'LH441', keys: ['c:lh441'] },
      ]),
    );
    expect(canonicalNumber('42k'.replace('k', ''), 'k')).toBe('42000');
    expect(canonicalNumber('1,5')).toBe('1.5');
  });

  it('pins dates and times, without also pinning their digits as numbers', () => {
    const text = 'The launch is on 14 March 2026 at 9:40 am, the review on Friday.';
    expect(texts(text, 'date')).toEqual(['14 March 2026', '9:40 am', 'Friday']);
    expect(texts(text, 'number')).toEqual([]);
  });

  it('pins decisions from the user, and from the AI only what it records as decided', () => {
    expect(texts('We decided to use Postgres for the backend.', 'decision')).toEqual([
      'decided to use Postgres for the backend',
    ]);
    const keep = factsToKeep(null, [
      { message: 'what do you think?', response: 'Sure! I received 3 messages. I booked the table at Luigi for 8.' },
    ]);
    expect(keep.map((p) => p.kind)).toEqual(['decision']);
  });
});

describe('the code check', () => {
  const turns = [
    { message: 'My sister Alice lives in Lisbon.', response: '[fake-llm] noted' },
    { message: 'The budget is 42,000 euros.', response: '[fake-llm] noted' },
    { message: 'The launch is on 14 March 2026.', response: '[fake-llm] noted' },
    { message: 'We decided to use Postgres for the backend.', response: '[fake-llm] noted' },
    { message: 'tell me more about that', response: 'Thanks! Here are 5 ideas from Wikipedia.' },
  ];

  it('passes a reworded summary that keeps every fact', () => {
    const summary =
      "The user's sister Alice is in Lisbon. Budget: 42000 EUR. Launch 2026-03-14. Decision: Postgres will be used for the backend.";
    expect(checkSummary({ previous: null, turns, summary })).toEqual([]);
  });

  it('names what a lossy summary drops', () => {
    const summary = "The user's sister Alice is in Lisbon. Launch in March. Postgres for the backend was decided.";
    expect(checkSummary({ previous: null, turns, summary })).toEqual([
      { kind: 'number', text: '42,000' },
      { kind: 'date', text: '14 March 2026' },
    ]);
  });

  it("keeps the previous summary's facts in force: a new summary must carry them", () => {
    const previous = 'Alice lives in Lisbon. The budget is 42000 euros.';
    const summary = 'Alice lives in Lisbon. The user asked for ideas.';
    expect(checkSummary({ previous, turns: [turns[4] as (typeof turns)[number]], summary })).toEqual([
      { kind: 'number', text: '42000' },
    ]);
  });

  it('accepts a number written as a word, and rejects a changed one', () => {
    const t = [{ message: 'I have 3 kids.', response: 'ok' }];
    expect(checkSummary({ previous: null, turns: t, summary: 'The user has three kids.' })).toEqual([]);
    expect(checkSummary({ previous: null, turns: t, summary: 'The user has 4 kids.' })).toEqual([
      { kind: 'number', text: '3' },
    ]);
  });

  it('drops a decision whose words are gone', () => {
    const t = [{ message: 'We agreed to move the release to the staging cluster.', response: 'ok' }];
    expect(checkSummary({ previous: null, turns: t, summary: 'The user talked about releases.' })).toEqual([
      { kind: 'decision', text: 'agreed to move the release to the staging cluster' },
    ]);
  });
});
