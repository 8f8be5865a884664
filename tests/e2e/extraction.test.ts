/**
 * The console's Learning tab and a memory's provenance, end to end in headless Chromium against
 * the local stack: extraction turned on in the console, the model stand-in scripted for the AI
 * (tests/fake-llm/extraction.mjs), exchanges sent through `observe` with the AI's key, and the
 * decisions, chart, Undo, review, "why" and History checked in the browser and against the API.
 */
import { describe, expect, it } from 'vitest';
import { screenshot, seriousA11yViolations } from '../support/browser.js';
import { call, expectStatus, newAi, type AiSession, type Json } from '../support/http.js';
import { consoleSession } from '../support/consoleSession.js';

const FAKE_LLM_URL = process.env.FAKE_LLM_URL ?? 'http://127.0.0.1:5055';

const session = consoleSession();

const FACTS = [
  { when: 'my name is (\\w+)', content: "The user's name is $1.", kind: 'identity', subject: 'name' },
  { when: "I'm a (teacher|nurse)", content: 'The user works as a $1.', kind: 'role', subject: 'job' },
];

async function scriptModel(ai: AiSession): Promise<void> {
  const res = await fetch(`${FAKE_LLM_URL}/__extraction/script`, {
    method: 'POST',
    body: JSON.stringify({ user: ai.ai_uuid, facts: FACTS }),
  });
  expect(res.status).toBe(204);
}

async function observe(ai: AiSession, text: string): Promise<string> {
  const r = await call('POST', `/v1/ais/${ai.ai_uuid}/observe`, {
    token: ai.api_key,
    body: { messages: [{ role: 'user', content: text }], session_id: 'console-e2e' },
  });
  expectStatus(r, 202);
  return r.body.extraction_id as string;
}

const memoryPath = (ai: AiSession, id: string) => `/v1/ais/${ai.ai_uuid}/memories/long_term_memory/${id}`;

async function longTerm(ai: AiSession): Promise<Json[]> {
  const r = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory`, { token: ai.api_key });
  expectStatus(r, 200);
  return r.body.memories as Json[];
}

const aiPage = (ai: AiSession) => session.aiPage(ai.ai_uuid);

describe('the console: memory that learns', () => {
  it('turns extraction on, shows a decision live with its chart, explains a memory, restores a version, undoes', async () => {
    const ai = await newAi(`Learning ${Date.now()}`);
    await scriptModel(ai);
    const { page, refused } = await aiPage(ai);

    await page.getByRole('tab', { name: 'Learning' }).click();
    const settings = page.getByTestId('extraction-settings');
    await settings.getByText('Learn from conversations').waitFor();
    expect(await settings.getByRole('switch', { name: 'Learn from conversations' }).isChecked()).toBe(false);
    await settings.getByRole('switch', { name: 'Learn from conversations' }).click();
    await expect
      .poll(async () => (await call('GET', `/v1/ais/${ai.ai_uuid}/extraction`, { token: ai.api_key })).body.active, {
        timeout: 10_000,
      })
      .toBe(true);

    // An exchange: the decision appears live (the relay's extraction events reload the tab).
    const jobId = await observe(ai, 'Hello, my name is Ada');
    const job = page.getByTestId(`extraction-job-${jobId}`);
    const added = job.getByTestId('extraction-decision').filter({ hasText: "The user's name is Ada." });
    await added.waitFor({ timeout: 30_000 });
    expect(await added.getAttribute('data-decision')).toBe('added');
    await job.getByText('done').waitFor({ timeout: 10_000 });

    // The chart draws the day's decision as a bar (reloaded with the job's end).
    const bars = page.getByTestId('hygiene-chart').locator('svg .recharts-bar-rectangle path');
    await expect.poll(() => bars.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.getByTestId('hygiene-summary').filter({ hasText: '1 added' }).waitFor();
    expect(refused).toEqual([]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, '11-learning');

    // "Why does it believe this?" on the memory card: its job, session and decisions.
    const [memory] = await longTerm(ai);
    const memoryId = memory.memory_id as string;
    await page.getByTestId('tab-long_term_memory').click();
    const card = page.getByTestId(`memory-${memoryId}`);
    await card.getByRole('button', { name: 'Why does it believe this?' }).click();
    const why = card.getByTestId('memory-why');
    await why.getByText(jobId).waitFor();
    await why.getByText('console-e2e').waitFor();
    await why.getByTestId('memory-why-job').getByText("The user's name is Ada.").waitFor();

    // History: an edit keeps the earlier version; Restore brings it back (as a new version).
    const edit = await call('PATCH', memoryPath(ai, memoryId), {
      token: ai.api_key,
      body: { content: "The user's name is Adaline." },
    });
    expectStatus(edit, 200);
    await card.getByText("The user's name is Adaline.").waitFor({ timeout: 10_000 });
    await card.getByRole('button', { name: 'History' }).click();
    const version = card.getByTestId('memory-version').filter({ hasText: "The user's name is Ada." });
    await version.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, '12-memory-why-history');
    await version.getByRole('button', { name: 'Restore' }).click();
    await expect
      .poll(async () => (await call('GET', memoryPath(ai, memoryId), { token: ai.api_key })).body.content, {
        timeout: 10_000,
      })
      .toBe("The user's name is Ada.");
    await card.getByText("The user's name is Ada.", { exact: true }).waitFor();

    // Undo the decision: the memory is gone, the decision says undone.
    await page.getByRole('tab', { name: 'Learning' }).click();
    // Found by its index: undoing deletes the memory, and a deleted memory's text is forgotten,
    // the candidate that became it included, so the row no longer holds that text.
    const row = job.locator(
      `[data-testid="extraction-decision"][data-index="${String(await added.getAttribute('data-index'))}"]`,
    );
    await row.getByRole('button', { name: 'Undo' }).click();
    await row.getByText('undone').waitFor({ timeout: 10_000 });
    expect((await call('GET', memoryPath(ai, memoryId), { token: ai.api_key })).status).toBe(404);
    expect(await row.getByRole('button', { name: 'Undo' }).count()).toBe(0);
    expect(await row.getByText("The user's name is Ada.").count()).toBe(0);
    expect(refused).toEqual([]);
    await page.close();
  }, 120_000);

  it('review mode: the candidate waits in the queue with its source text; Approve stores it', async () => {
    const ai = await newAi(`Reviewed ${Date.now()}`);
    await scriptModel(ai);
    const { page, refused } = await aiPage(ai);
    await page.getByRole('tab', { name: 'Learning' }).click();
    const settings = page.getByTestId('extraction-settings');
    await settings.getByRole('switch', { name: 'Learn from conversations' }).click();
    await settings.getByRole('switch', { name: 'Review before storing' }).click();
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(
        async () => {
          const s = (await call('GET', `/v1/ais/${ai.ai_uuid}/extraction`, { token: ai.api_key })).body;
          return [s.active, s.settings.review];
        },
        { timeout: 10_000 },
      )
      .toEqual([true, true]);

    await observe(ai, "my name is Mary and I'm a teacher");
    const queued = page.locator('[data-testid^="review-"]');
    await expect.poll(() => queued.count(), { timeout: 30_000 }).toBe(2);
    const teacher = queued.filter({ hasText: 'The user works as a teacher.' });
    await teacher.getByText("my name is Mary and I'm a teacher").waitFor();
    await teacher.getByText('Would add it to Long-term memory.').waitFor();
    expect(await longTerm(ai)).toEqual([]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, '13-review-queue');

    await teacher.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(async () => (await longTerm(ai)).map((m) => m.content), { timeout: 10_000 })
      .toEqual(['The user works as a teacher.']);
    await teacher.waitFor({ state: 'detached', timeout: 10_000 });
    const mary = queued.filter({ hasText: "The user's name is Mary." });
    await mary.getByRole('button', { name: 'Reject' }).click();
    await mary.waitFor({ state: 'detached', timeout: 10_000 });
    expect((await longTerm(ai)).map((m) => m.content)).toEqual(['The user works as a teacher.']);
    expect(refused).toEqual([]);
    await page.close();
  }, 120_000);
});
