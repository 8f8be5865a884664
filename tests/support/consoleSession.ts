/**
 * @module tests/support/consoleSession — what every browser test file of the console needs: one
 * Chromium for the file and an administrator to sign in as, made before its tests and closed after.
 * The console's relay is not started here: `with-emulators.mjs` runs one on 3001 for the whole run
 * (browser files run in parallel, and each starting its own on that port raced for it).
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { CONSOLE_URL, createUser, launch, signInToConsole } from './browser.js';

export interface ConsoleSession {
  /** A fresh page (its own context), signed in to nothing. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /**
   * A page signed in as the file's administrator, on the list of AI instances; `prepare` runs on
   * the page before it loads anything (to listen to its console from the start).
   */
  adminPage(options?: BrowserContextOptions, prepare?: (page: Page) => void): Promise<Page>;
  /**
   * The AI's page, signed in as the administrator and live on the relay; `refused` collects every
   * Content-Security-Policy refusal the page logs from its first load (a test expects none).
   */
  aiPage(aiUuid: string): Promise<{ page: Page; refused: string[] }>;
  readonly admin: { email: string; password: string; uid: string };
}

/** Call at the top level of a test file. */
export function consoleSession(): ConsoleSession {
  // Undefined until beforeAll has made them: afterAll must not fail over what a failed beforeAll never started.
  let browser: Browser | undefined;
  let admin: { email: string; password: string; uid: string } | undefined;
  beforeAll(async () => {
    browser = await launch();
    admin = await createUser({ admin: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  const session: ConsoleSession = {
    async newPage(options = {}) {
      if (!browser) throw new Error('the browser did not start (see beforeAll)');
      return browser.newPage(options);
    },
    async adminPage(options = { viewport: { width: 1280, height: 900 } }, prepare) {
      const page = await session.newPage(options);
      prepare?.(page);
      await signInToConsole(page, session.admin);
      await page.getByRole('heading', { name: 'AI instances' }).waitFor();
      return page;
    },
    async aiPage(aiUuid) {
      const refused: string[] = [];
      const page = await session.adminPage(undefined, (p) =>
        p.on('console', (m) => {
          if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
        }),
      );
      await page.goto(`${CONSOLE_URL}/#/ai/${aiUuid}`);
      await page.getByTestId('relay-status').filter({ hasText: 'live' }).waitFor();
      return { page, refused };
    },
    get admin() {
      if (!admin) throw new Error('the administrator was not made (see beforeAll)');
      return admin;
    },
  };
  return session;
}
