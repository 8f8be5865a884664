/**
 * The admin console end to end in headless Chromium against the local stack (Hosting serves the
 * built console; the relay runs on 3001 as under `npm start`, started by with-emulators.mjs). Screenshots go to artifacts/.
 */
import { describe, expect, it } from 'vitest';
import { memoryRef } from '@memory-weaver/core';
import { adminIdToken, db } from '../support/emulators.js';
import { CONSOLE_URL, createUser, screenshot, seriousA11yViolations, signInToConsole } from '../support/browser.js';
import { call, expectStatus, newAi } from '../support/http.js';
import { createMemory } from '../support/memories.js';
import { consoleSession } from '../support/consoleSession.js';
import { openedData } from '../support/opened.js';

const session = consoleSession();
const newPage = (options?: Parameters<typeof session.newPage>[0]) => session.newPage(options);
const adminPage = () => session.adminPage({ viewport: { width: 1280, height: 860 } });

describe('the admin console', () => {
  it('shows a signed-in non-admin a clear "not an administrator" page and nothing else', async () => {
    const page = await newPage();
    await page.goto(CONSOLE_URL);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, '01-sign-in');
    await signInToConsole(page, await createUser());
    await page.getByRole('heading', { name: 'Not an administrator' }).waitFor();
    expect(await page.getByRole('heading', { name: 'AI instances' }).count()).toBe(0);
    await screenshot(page, '02-not-an-administrator');
    await page.close();
  });

  it('creates an AI, shows its key once, and curates its memory in agreement with the API', async () => {
    const page = await adminPage();
    const name = `E2E ${Date.now()}`;
    await page.getByRole('button', { name: 'New AI' }).click();
    await page.getByRole('dialog').getByRole('textbox').fill(name);
    await page.getByRole('button', { name: 'Create' }).click();
    const key = (await page.getByTestId('new-api-key').textContent())?.trim() ?? '';
    expect(key).toMatch(/^mwk_[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/);
    await screenshot(page, '03-new-ai-key');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count(), { timeout: 10_000 }).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, '04-ai-list');

    const me = await call('POST', '/v1/handshake', { token: key, body: {} });
    expectStatus(me, 200);
    const aiUuid = me.body.ai_uuid as string;

    await page.getByTestId(`ai-row-${name}`).getByRole('button', { name, exact: true }).click();
    await page.getByTestId('relay-status').filter({ hasText: 'live' }).waitFor();

    // Create
    await page.getByLabel('New memory in Working memory').fill('The user prefers short answers.');
    await page.getByRole('button', { name: 'Add' }).click();
    const card = page.locator('[data-testid^="memory-"]', { hasText: 'The user prefers short answers.' });
    await card.waitFor();
    const memoryId = ((await card.getAttribute('data-testid')) ?? '').slice('memory-'.length);
    expect((await openedData(memoryRef(db, aiUuid, 'working_memory', memoryId)))?.content).toBe(
      'The user prefers short answers.',
    );
    expect(await card.getAttribute('data-highlighted')).toBe('false');

    // Edit in place
    const byId = page.locator(`[data-testid="memory-${memoryId}"]`);
    await byId.getByRole('button', { name: 'Edit' }).click();
    await byId.getByLabel('Content').fill('The user prefers short, direct answers.');
    await byId.getByRole('button', { name: 'Save' }).click();
    // Out of edit mode, showing the saved text (the Edit button is back only after the save).
    await byId.getByRole('button', { name: 'Edit' }).waitFor();
    await page.locator(`[data-testid="memory-${memoryId}"] p`, { hasText: 'short, direct answers' }).waitFor();
    const edited = await call('GET', `/v1/ais/${aiUuid}/memories/working_memory/${memoryId}`, { token: key });
    expect(edited.body.content).toBe('The user prefers short, direct answers.');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, '05-ai-memory');

    // Move by drag and drop onto the Long-term tab
    await page.locator(`[data-testid="memory-${memoryId}"]`).dragTo(page.getByTestId('tab-long_term_memory'));
    await expect
      .poll(
        async () =>
          (await call('GET', `/v1/ais/${aiUuid}/memories/long_term_memory/${memoryId}`, { token: key })).status,
        { timeout: 10_000 },
      )
      .toBe(200);
    expect((await call('GET', `/v1/ais/${aiUuid}/memories/working_memory/${memoryId}`, { token: key })).status).toBe(
      404,
    );

    // Delete
    await page.getByTestId('tab-long_term_memory').click();
    const moved = page.locator(`[data-testid="memory-${memoryId}"]`);
    await moved.getByRole('button', { name: 'Delete' }).click();
    await moved.waitFor({ state: 'detached' });
    expect((await call('GET', `/v1/ais/${aiUuid}/memories/long_term_memory/${memoryId}`, { token: key })).status).toBe(
      404,
    );

    // The event log is one click away.
    await page.getByRole('button', { name: 'Event log' }).click();
    await page.getByRole('dialog').getByText('moved').first().waitFor();
    await screenshot(page, '06-event-log');
    await page.close();
  }, 90_000);

  it('shows a memory created by an AI client through the API live, highlighted', async () => {
    const ai = await newAi(`Live ${Date.now()}`);
    const page = await adminPage();
    await page.goto(`${CONSOLE_URL}/#/ai/${ai.ai_uuid}`);
    await page.getByTestId('relay-status').filter({ hasText: 'live' }).waitFor();
    const written = await createMemory(ai, 'working_memory', 'Written by the AI client just now', {
      route: 'resource',
    });
    const card = page.locator(`[data-testid="memory-${written.memory_id}"]`);
    await card.waitFor({ timeout: 5_000 });
    expect(await card.getAttribute('data-highlighted')).toBe('true');
    await screenshot(page, '07-live-update');
    // Tablet width: the same screen still works and still passes the accessibility check.
    await page.setViewportSize({ width: 820, height: 1180 });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, '07b-live-update-tablet');
    await page.close();
  }, 60_000);

  it('chats with the AI in a session, with the answer streamed and the memories used shown', async () => {
    const page = await adminPage();
    const created = await call('POST', '/v1/ais', {
      token: await adminIdToken(),
      body: { ai_name: `Chatty ${Date.now()}` },
    });
    const aiUuid = created.body.ai_uuid as string;
    await createMemory(created.body, 'long_term_memory', 'The user grows tomatoes on the balcony.', {
      route: 'resource',
    });
    await page.goto(`${CONSOLE_URL}/#/ai/${aiUuid}`);
    await page.getByRole('tab', { name: 'Chat' }).click();
    await page.getByLabel('Message').fill('How are my tomatoes?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .getByTestId('chat-answer')
      .filter({ hasText: 'You said: How are my tomatoes?' })
      .waitFor({ timeout: 15_000 });
    await page.getByTestId('context-preview').getByText('long_term_memory').first().waitFor();
    // The exchange is stored once the model's answer is complete, just after the last words show.
    // A session opened in the console is the administrators': the AI's own key doesn't see it.
    await expect
      .poll(
        async () =>
          (await call('GET', `/v1/ais/${aiUuid}/sessions`, { token: await adminIdToken() })).body.sessions.length,
        { timeout: 10_000 },
      )
      .toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, '08-chat');
    await page.close();
  }, 60_000);

  it('searches all tiers by words, by meaning or both, and draws both signals of each hit', async () => {
    const ai = await newAi(`Searchable ${Date.now()}`);
    await createMemory(ai, 'long_term_memory', 'Ada keeps bees on the roof of her building.', { route: 'resource' });
    await createMemory(ai, 'archive', 'The quarterly report was filed in March.', { route: 'resource' });
    const page = await adminPage();
    await page.goto(`${CONSOLE_URL}/#/ai/${ai.ai_uuid}`);
    await page.getByRole('tab', { name: 'Search' }).click();
    await page.getByLabel('Search all tiers').fill('bees roof');
    await page.getByText('Words', { exact: true }).click();
    await page.getByRole('button', { name: 'Search' }).click();
    const hits = page.getByTestId('search-hit');
    await hits.first().waitFor();
    // By words, only the memory that holds them.
    expect(await hits.count()).toBe(1);
    await hits.first().getByText('Ada keeps bees on the roof of her building.').waitFor();
    expect(await hits.first().getByRole('progressbar', { name: 'words' }).getAttribute('aria-valuenow')).toBe('100');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, '09-search');
    await page.close();
  }, 60_000);

  it('renders the API reference from /v1/openapi.json under the Content-Security-Policy', async () => {
    const page = await adminPage();
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
    });
    await page.getByRole('link', { name: 'API reference' }).click();
    const reference = page.getByTestId('api-reference');
    await reference.getByText('Memory Weaver API').first().waitFor({ timeout: 20_000 });
    // A known operation of the document, drawn by the renderer.
    await reference.getByText('/v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}/move').first().waitFor();
    expect(refused).toEqual([]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, '10-api-reference');
    await page.close();
  }, 60_000);
});
