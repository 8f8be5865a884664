/**
 * The console's Consolidation tab, end to end in headless Chromium against the local stack: the
 * dry-run preview lists exactly the moves and proposals the API stored, "Run this plan" executes
 * it, a proposal is archived from its checkbox, the run's Undo brings everything back, the chart
 * is drawn, a setting is saved; checked in the browser and against the API, with axe and the CSP.
 */
import { describe, expect, it } from 'vitest';
import { screenshot, seriousA11yViolations } from '../support/browser.js';
import { consoleSession } from '../support/consoleSession.js';
import { adminIdToken } from '../support/emulators.js';
import { call, expectStatus, newAi, type AiSession, type Json } from '../support/http.js';
import { ids, makeOld, remember, settings } from '../consolidation/helpers.js';

const session = consoleSession();

const aiPage = (ai: AiSession) => session.aiPage(ai.ai_uuid);

describe('the console: consolidation', () => {
  it('previews a run, runs exactly that plan, archives a proposal, undoes the run, saves a setting', async () => {
    const ai = await newAi(`Consolidation ${Date.now()}`);
    // Left alone by scheduled passes other test files run meanwhile.
    await settings(ai, { scheduled: false });
    const first = await remember(ai, 'working_memory', 'We planned the garden beds.');
    const second = await remember(ai, 'working_memory', 'We ordered seeds for the spring.');
    const keep = await remember(ai, 'working_memory', 'Said just now.');
    await makeOld(ai, 'working_memory', first, 12);
    await makeOld(ai, 'working_memory', second, 11);
    const stale = await remember(ai, 'long_term_memory', 'The user once owned a red bicycle.');
    await makeOld(ai, 'long_term_memory', stale, 400);
    const { page, refused } = await aiPage(ai);

    await page.getByRole('tab', { name: 'Consolidation' }).click();
    await page.getByTestId('consolidation-settings').waitFor();
    await page.getByRole('button', { name: 'Preview a run (dry run)' }).click();
    const plan = page.getByTestId('consolidation-plan');
    await plan.getByTestId('plan-summary').filter({ hasText: '2 moves to the archive, 1 proposal.' }).waitFor();

    // The preview is the stored plan, move for move.
    const listed = await call('GET', `/v1/ais/${ai.ai_uuid}/consolidations?limit=1`, { token: ai.api_key });
    const planned: Json = listed.body.runs[0];
    expect(planned).toMatchObject({ status: 'planned', dry_run: true });
    expect(planned.actions.map((a: Json) => a.memory_id)).toEqual([first, second]);
    for (const a of planned.actions as Json[]) {
      await expect.poll(() => plan.getByTestId(`plan-move-${String(a.memory_id)}`).textContent()).toContain(a.reason);
    }
    expect(await plan.getByTestId(`plan-move-${keep}`).count()).toBe(0);
    await plan.getByTestId(`proposal-${stale}`).waitFor();
    await screenshot(page, '13-consolidation-preview');

    await plan.getByRole('button', { name: 'Run this plan' }).click();
    const card = page.getByTestId(`consolidation-run-${String(planned.run_id)}`);
    await card
      .getByTestId('run-counts')
      .filter({ hasText: '2 planned, 2 moved, 0 skipped' })
      .waitFor({ timeout: 20_000 });
    expect(await ids(ai, 'archive')).toEqual([first, second].sort());
    expect(await ids(ai, 'working_memory')).toEqual([keep]);
    await page.getByTestId('runs-chart').locator('svg').first().waitFor();

    // Archive the proposal from its checkbox.
    await plan.getByTestId(`proposal-${stale}`).check();
    await plan.getByRole('button', { name: 'Archive selected' }).click();
    await card.getByTestId('run-counts').filter({ hasText: '1 accepted' }).waitFor({ timeout: 20_000 });
    expect(await ids(ai, 'long_term_memory')).toEqual([]);
    expect(await ids(ai, 'archive')).toEqual([first, second, stale].sort());

    await card.getByRole('button', { name: 'Undo' }).click();
    await card.getByText('undone', { exact: true }).waitFor({ timeout: 20_000 });
    expect(await ids(ai, 'working_memory')).toEqual([first, second, keep].sort());
    expect(await ids(ai, 'long_term_memory')).toEqual([stale]);
    expect(await ids(ai, 'archive')).toEqual([]);

    await page.getByRole('switch', { name: 'Write reflections' }).click();
    await expect
      .poll(
        async () => (await call('GET', `/v1/ais/${ai.ai_uuid}/consolidation`, { token: ai.api_key })).body.reflections,
        { timeout: 10_000 },
      )
      .toBe(true);

    await screenshot(page, '14-consolidation-undone');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(refused).toEqual([]);
    await page.close();
  }, 120_000);

  it('answers a failed request with an alert, not a broken tab', async () => {
    const ai = await newAi(`Consolidation gone ${Date.now()}`);
    const { page } = await aiPage(ai);
    await page.getByRole('tab', { name: 'Consolidation' }).click();
    await page.getByTestId('consolidation-settings').waitFor();
    // The AI is deleted behind the console's back: the preview's 404 is shown, not swallowed.
    expectStatus(await call('DELETE', `/v1/ais/${ai.ai_uuid}`, { token: await adminIdToken() }), 200);
    await page.getByRole('button', { name: 'Preview a run (dry run)' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /not found|no such/i })
      .waitFor({ timeout: 20_000 });
    await page.close();
  }, 60_000);
});
