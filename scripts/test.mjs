#!/usr/bin/env node
// `npm test`: every step in order, stopping at the first that fails. Arguments after `npm test --`
// go to the last step's vitest (e.g. `npm test -- tests/api/` or `-t 'handshake'`).
//
// MW_SKIP_BROWSER=1 runs without Chromium: setup doesn't ask for it and the emulator tier runs
// without tests/e2e (the browser tier), which is said at the start and again at the end.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BROWSER_SKIPPED_LINE, browserSkipped } from './setup.mjs';
import { ROOT } from './emulator-env.mjs';

const userArgs = process.argv.slice(2);
const skipBrowser = browserSkipped();

/**
 * The emulator tier without tests/e2e, as vitest file filters (one per folder of tests/).
 * vitest 4 doesn't apply a CLI `--exclude` to inline projects (only `--project`-wide options
 * such as -t reach them), so we name what to run instead of what to leave out. When the user
 * names files or folders themselves, theirs are used as given.
 */
function withoutBrowserTier() {
  if (userArgs.some((a) => !a.startsWith('-') && existsSync(join(ROOT, a)))) return [];
  return readdirSync(join(ROOT, 'tests'), { withFileTypes: true })
    .filter((e) => (e.isDirectory() ? !['e2e', 'unit'].includes(e.name) : e.name.endsWith('.test.ts')))
    .map((e) => (e.isDirectory() ? `tests/${e.name}/` : `tests/${e.name}`));
}

const STEPS = [
  ['node', 'scripts/setup.mjs', '--for', 'test'], // first: it installs what the rest needs
  // Other checks that need node_modules go here, e.g. ['npm', 'run', 'lint'],
  ['npm', 'run', 'typecheck'],
  ['npm', 'run', 'test:unit'],
  ['npm', 'run', 'build'],
  [
    'node',
    'scripts/with-emulators.mjs',
    '--fake-llm',
    '--',
    'vitest',
    'run',
    '--project',
    'emulators',
    ...(skipBrowser ? withoutBrowserTier() : []),
    ...userArgs,
  ],
];

// `node scripts/test.mjs` run by hand gets what `npm test` would give: node_modules/.bin on PATH.
const env = { ...process.env, PATH: [join(ROOT, 'node_modules', '.bin'), process.env.PATH].join(delimiter) };

let current;
let stopping = false;
// Ctrl-C reaches the running step by itself (same process group); a SIGTERM sent to this process
// alone (a CI timeout) is passed on. Either way that step is the last one.
process.on('SIGINT', () => (stopping = true));
process.on('SIGTERM', () => {
  stopping = true;
  current?.kill('SIGTERM');
});

for (const [cmd, ...args] of STEPS) {
  const shown = [cmd, ...args].join(' ');
  console.log(`\n── ${shown}`);
  const status = await new Promise((resolve) => {
    current = spawn(cmd === 'node' ? process.execPath : cmd, args, {
      cwd: ROOT,
      env,
      stdio: 'inherit',
      shell: cmd === 'npm' && process.platform === 'win32',
    });
    current.on('error', (e) => {
      console.error(e.message);
      resolve(1);
    });
    current.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  if (status !== 0 || stopping) {
    console.error(`\nnpm test: \`${shown}\` ${stopping ? 'interrupted' : 'failed'} (exit ${status})`);
    if (skipBrowser) console.error(BROWSER_SKIPPED_LINE);
    process.exit(status || 130);
  }
}
if (skipBrowser) console.log(`\n${BROWSER_SKIPPED_LINE}`);
