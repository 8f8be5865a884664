/**
 * @module bench/console — the console's first load (JavaScript shipped for the first screen,
 * gzipped, and time until the sign-in form can be used) in headless Chromium against the local
 * stack, and the time from an API write to the change visible in an open console.
 */
import { gzipSync } from 'node:zlib';
import { createUser, launch, signInToConsole, CONSOLE_URL } from '../tests/support/browser.js';
import { adminIdToken } from '../tests/support/emulators.js';
import { call, type AiSession } from '../tests/support/http.js';
import { createMemory } from '../tests/support/memories.js';
import { percentile } from './stats.js';

export async function benchConsole(): Promise<string> {
  // The console's relay on 3001 is with-emulators.mjs's (`npm run bench` starts it).
  const browser = await launch();
  try {
    // First load, cold cache each time.
    const loads: number[] = [];
    let jsBytes = 0;
    for (let i = 0; i < 5; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const scripts: Promise<number>[] = [];
      page.on('response', (r) => {
        if (r.request().resourceType() === 'script') scripts.push(r.body().then((b) => gzipSync(b).length));
      });
      const start = Date.now();
      await page.goto(CONSOLE_URL);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      loads.push(Date.now() - start);
      jsBytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
      await context.close();
    }
    // API write → visible in the open console.
    const admin = await createUser({ admin: true });
    const created = await call('POST', '/v1/ais', {
      token: await adminIdToken(),
      body: { ai_name: `bench-console-${Date.now()}` },
    });
    const ai = created.body as AiSession;
    const page = await browser.newPage();
    await signInToConsole(page, admin);
    await page.getByRole('heading', { name: 'AI instances' }).waitFor();
    await page.goto(`${CONSOLE_URL}/#/ai/${ai.ai_uuid}`);
    await page.getByTestId('relay-status').filter({ hasText: 'live' }).waitFor();
    const visible: number[] = [];
    for (let i = 0; i < 20; i++) {
      const sent = Date.now();
      const { memory_id } = await createMemory(ai, 'working_memory', `bench ${i}`, { route: 'resource' });
      await page.locator(`[data-testid="memory-${memory_id}"]`).waitFor({ timeout: 10_000 });
      visible.push(Date.now() - sent);
    }
    const s = [...visible].sort((a, b) => a - b);
    const l = [...loads].sort((a, b) => a - b);
    return [
      '## Console (headless Chromium, local stack)',
      `  first screen: ${(jsBytes / 1024).toFixed(1)} KB of JavaScript gzipped; sign-in form usable after p50 ${percentile(l, 50)} ms (5 cold loads)`,
      `  API write → memory visible in the open console: p50 ${percentile(s, 50)} ms, p95 ${percentile(s, 95)} ms (20 writes; from the request, through relay and re-fetch)`,
    ].join('\n');
  } finally {
    await browser.close();
  }
}
