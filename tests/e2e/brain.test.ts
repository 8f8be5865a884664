/**
 * Export and import in the console, end to end in headless Chromium against the local stack: an AI
 * downloaded as a `.brain` file from its page, the file imported into a new AI from the list (dry
 * run, then import, the new key shown once), the copy holding the same memories; and the same file
 * imported into an existing AI from its page, with the dry run's report and the import's progress
 * shown live from the AI's event stream.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_URL, seriousA11yViolations, screenshot } from '../support/browser.js';
import { consoleSession } from '../support/consoleSession.js';
import { adminIdToken } from '../support/emulators.js';
import { call, expectStatus, newAi, type AiSession, type Json } from '../support/http.js';

const browser = consoleSession();
const DOWNLOADS = 'artifacts/downloads';

/** A source AI with a memory in three tiers. */
let source: AiSession;
const CONTENTS = {
  long_term_memory: 'Ada prefers oolong tea',
  personal_logs: 'I should cite my sources',
  archive: 'the 2022 trip to Lisbon',
} as const;

beforeAll(async () => {
  source = await newAi(`Brain source ${Date.now()}`);
  for (const [tier, content] of Object.entries(CONTENTS)) {
    expectStatus(
      await call('POST', `/v1/ais/${source.ai_uuid}/memories/${tier}`, { token: source.api_key, body: { content } }),
      201,
    );
  }
});

/** Every memory of an AI, as [tier, id, content], sorted: what "the same memories" compares. */
async function memoriesOf(aiUuid: string, token: string): Promise<string[][]> {
  const out: string[][] = [];
  for (const tier of ['working_memory', 'long_term_memory', 'personal_logs', 'archive']) {
    const r = await call('GET', `/v1/ais/${aiUuid}/memories/${tier}?limit=100`, { token });
    expectStatus(r, 200);
    for (const m of r.body.memories as Json[]) out.push([tier, m.memory_id, m.content]);
  }
  return out.sort((a, b) => (a.join() < b.join() ? -1 : 1));
}

async function aiPage(ai: AiSession): Promise<{ page: Page; refused: string[] }> {
  const { page, refused } = await browser.aiPage(ai.ai_uuid);
  // The page has the AI's name (the downloaded file is named after it).
  await page.getByRole('heading', { name: ai.ai_name }).waitFor();
  await page.getByRole('tab', { name: 'Export / import' }).click();
  return { page, refused };
}

async function chooseFile(page: Page, path: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByLabel('File to import').click()]);
  await chooser.setFiles(path);
}

let downloaded = '';

describe('the console: export and import', () => {
  it('downloads an AI as a .brain file and imports it into a new AI from the list: the same memories', async () => {
    const { page, refused } = await aiPage(source);
    const exportForm = page.getByTestId('brain-export');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      exportForm.getByRole('button', { name: 'Download .brain' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^Brain_source_\d+\.brain$/);
    mkdirSync(DOWNLOADS, { recursive: true });
    downloaded = `${DOWNLOADS}/${download.suggestedFilename()}`;
    await download.saveAs(downloaded);
    const text = readFileSync(downloaded, 'utf8');
    expect(JSON.parse(text.split('\n')[0] ?? '')).toMatchObject({ type: 'header', format: 'memory-weaver.brain/2' });
    expect(JSON.parse(text.trimEnd().split('\n').at(-1) ?? '')).toMatchObject({ type: 'trailer', records: 3 });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, '20-brain-tab');

    // Into a new AI, from the list of AIs.
    await page.goto(CONSOLE_URL);
    await page.getByRole('heading', { name: 'AI instances' }).waitFor();
    await page.getByRole('button', { name: 'Import AI' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import an AI from a file' });
    await chooseFile(page, downloaded);
    const copyName = `Brain copy ${Date.now()}`;
    await dialog.getByLabel("New AI's name (optional)").fill(copyName);
    await dialog.getByRole('button', { name: 'Dry run' }).click();
    await dialog.getByTestId('import-count-added').filter({ hasText: 'would add 3' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, '21-brain-import-dry-run');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();

    const key = page.getByTestId('new-api-key');
    await key.waitFor();
    const apiKey = (await key.textContent())?.trim() ?? '';
    expect(apiKey).toMatch(/^mwk_/);
    await page
      .getByRole('dialog', { name: `${copyName} is imported` })
      .getByRole('button', { name: 'Close' })
      .click();
    const row = page.getByTestId(`ai-row-${copyName}`);
    await row.waitFor();

    const listed = await call('GET', '/v1/ais?limit=100', { token: await adminIdToken() });
    expectStatus(listed, 200);
    const copy = (listed.body.ais as Json[]).find((a) => a.ai_name === copyName);
    expect(copy).toBeDefined();
    expect(await memoriesOf(copy.ai_uuid, apiKey)).toEqual(await memoriesOf(source.ai_uuid, source.api_key));

    // And in the console: the copy's page shows the memory.
    await row.getByRole('button', { name: copyName, exact: true }).click();
    await page.getByTestId('tab-long_term_memory').click();
    await page.getByText(CONTENTS.long_term_memory).waitFor();
    expect(refused).toEqual([]);
    await page.close();
  }, 120_000);

  it('imports the file into an existing AI after a dry run, with its progress live from the event stream', async () => {
    expect(downloaded).not.toBe('');
    const target = await newAi(`Brain target ${Date.now()}`);
    const { page, refused } = await aiPage(target);
    const form = page.getByTestId('brain-import');
    await chooseFile(page, downloaded);
    await form.getByRole('button', { name: 'Dry run' }).click();
    await form.getByTestId('import-count-added').filter({ hasText: 'would add 3' }).waitFor();
    expect(await memoriesOf(target.ai_uuid, target.api_key)).toEqual([]);

    await form.getByRole('button', { name: 'Import', exact: true }).click();
    await form.getByTestId('import-count-added').filter({ hasText: 'added 3' }).waitFor();
    // The bar follows the import_* events the relay pushes to this page.
    const progress = page.locator('[data-testid="import-progress"][data-phase="finished"]');
    await progress.getByText('Import 3 of 3 · finished').waitFor({ timeout: 15_000 });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, '22-brain-import-progress');

    expect(await memoriesOf(target.ai_uuid, target.api_key)).toEqual(await memoriesOf(source.ai_uuid, source.api_key));
    const events = await call('GET', `/v1/ais/${target.ai_uuid}/events`, { token: target.api_key });
    expect((events.body.events as Json[]).map((e) => e.type).filter((t) => String(t).startsWith('import_'))).toEqual([
      'import_started',
      'import_progress',
      'import_progress',
      'import_finished',
    ]);
    // The tab for long-term memory counts the imported memory.
    await page.getByTestId('tab-long_term_memory').filter({ hasText: '(1)' }).waitFor();
    expect(refused).toEqual([]);
    await page.close();
  }, 120_000);
});
