/**
 * A small part of the extraction fixture (eval/extraction: `npm run eval:extraction` runs all 20
 * conversations) on the emulators: 3 scripted conversations, one per personal-data policy (store,
 * redact, reject), each chatted through the official `openai` client session by session, its
 * extraction jobs run by the `extract` trigger, and the AI's final memory compared with the
 * expected one. The model is the stand-in's rule table, so this checks the pipeline after the
 * model: the gate (junk, secrets, personal data), dedup of restated facts, supersede of changed ones.
 */
import { describe, expect, it } from 'vitest';
import { generateFixture } from '../../eval/extraction/generate.js';
import { runConversation, score } from '../../eval/extraction/harness.js';

const conversations = generateFixture().slice(0, 3);

describe('extraction fixture: 3 scripted conversations', () => {
  it('covers what it claims to', () => {
    expect(conversations.map((c) => c.personal_data)).toEqual(['store', 'redact', 'reject']);
    expect(conversations.every((c) => c.expected.secrets.length === 1)).toBe(true);
    expect(conversations.reduce((n, c) => n + c.expected.superseded.length, 0)).toBeGreaterThan(0);
  });

  for (const c of conversations) {
    it(`${c.id} (${c.personal_data}): exactly the expected memory, nothing twice, changes superseded, no secret`, async () => {
      const s = score(await runConversation(c));
      // What differed, named: a failure says which facts.
      expect({ unexpected: s.unexpected, missing: s.missing, unlinked: s.unlinked }).toEqual({
        unexpected: [],
        missing: [],
        unlinked: [],
      });
      expect(s).toMatchObject({ correct: s.expected, stored: s.expected, duplicates: 0, secretsStored: 0 });
      expect(s.changesCorrect).toBe(s.changes);
      expect(s.jobsFailed).toBe(0);
    }, 180_000);
  }
});
