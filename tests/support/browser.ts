/** @module tests/support/browser — Debian's Chromium driven by playwright-core, and console sign-in. */
import { mkdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { adminAuth } from './emulators.js';

export const CONSOLE_URL = process.env.API_BASE_URL ?? 'http://127.0.0.1:5000';
export const ARTIFACTS = 'artifacts/screenshots';

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A user on the Auth emulator with a password (the console signs in with email and password). */
export async function createUser(
  claims: Record<string, unknown> = {},
): Promise<{ email: string; password: string; uid: string }> {
  const email = `console-${randomUUID()}@example.test`;
  const password = `pw-${randomUUID()}`;
  const user = await adminAuth.createUser({ email, password });
  if (Object.keys(claims).length > 0) await adminAuth.setCustomUserClaims(user.uid, claims);
  return { email, password, uid: user.uid };
}

export async function signInToConsole(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto(CONSOLE_URL);
  await page.getByLabel('Email').fill(user.email);
  await page.locator('input[type="password"]').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function seriousA11yViolations(
  page: Page,
): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]> {
  const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  // Evaluated through the DevTools protocol rather than added as a <script>: the console's
  // Content-Security-Policy (rightly) refuses inline scripts, and the check must not weaken it.
  await page.evaluate(readFileSync(axePath, 'utf8'));
  const results = (await page.evaluate(() =>
    (window as unknown as { axe: { run: () => Promise<unknown> } }).axe.run(),
  )) as {
    violations: { id: string; impact: string; help: string; nodes: { html: string }[] }[];
  };
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.html.slice(0, 200)) }));
}
