#!/usr/bin/env node
// `npm test`: every step in order, stopping at the first that fails. Arguments after `npm test --`
// go to the last step's vitest (e.g. `npm test -- tests/api/` or `-t 'handshake'`).
//
// Quiet when green: each step before the emulator tier prints one line (its output is kept and
// shown only if it fails); the emulator tier prints vitest's per-file summary, and the emulators'
// own logs go to artifacts/logs/ (with-emulators.mjs prints the lines that explain a failure).
//
// MW_SKIP_BROWSER=1 runs without Chromium: setup doesn't ask for it and the emulator tier runs
// without tests/e2e (the browser tier; see vitest.config.mts), which is said at the start and end.
import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { BROWSER_SKIPPED_LINE, browserSkipped } from './setup.mjs';
import { ROOT } from './emulator-env.mjs';

const userArgs = process.argv.slice(2);
const skipBrowser = browserSkipped();

/** Each step: its command and a label; `stream` steps show their output as it comes. */
const STEPS = [
  { cmd: ['node', 'scripts/setup.mjs', '--for', 'test'], stream: true }, // first: it installs what the rest needs
  { cmd: ['eslint', '.'], label: 'lint' },
  { cmd: ['prettier', '--check', '.'], label: 'format' },
  { cmd: ['tsc', '-p', 'tsconfig.json', '--noEmit'], label: 'typecheck' },
  { cmd: ['tsc', '-p', 'web/tsconfig.json', '--noEmit'], label: 'typecheck console' },
  { cmd: ['vitest', 'run', '--project', 'unit'], label: 'unit tier' },
  { cmd: ['npm', 'run', 'build'], label: 'build' },
  {
    cmd: ['node', 'scripts/with-emulators.mjs', '--fake-llm', '--', 'vitest', 'run', '--project', 'emulators'],
    stream: true,
    extraArgs: userArgs,
  },
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

function run({ cmd: [bin, ...args], stream, extraArgs = [] }) {
  return new Promise((resolve) => {
    const output = [];
    current = spawn(bin === 'node' ? process.execPath : bin, [...args, ...extraArgs], {
      cwd: ROOT,
      env,
      stdio: stream ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      shell: bin === 'npm' && process.platform === 'win32',
    });
    current.stdout?.on('data', (d) => output.push(d));
    current.stderr?.on('data', (d) => output.push(d));
    current.on('error', (e) => {
      output.push(Buffer.from(`${e.message}\n`));
      resolve({ status: 1, output });
    });
    current.on('exit', (code, signal) => resolve({ status: code ?? (signal ? 128 : 1), output }));
  });
}

const startedAll = Date.now();
for (const step of STEPS) {
  const shown = step.label ?? step.cmd.join(' ');
  const started = Date.now();
  if (step.stream) console.log(`── ${shown}`);
  const { status, output } = await run(step);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (status !== 0 || stopping) {
    if (!step.stream) process.stderr.write(Buffer.concat(output));
    console.error(`\n✗ ${shown} ${stopping ? 'interrupted' : 'failed'} (exit ${status}, ${seconds} s)`);
    if (skipBrowser) console.error(BROWSER_SKIPPED_LINE);
    process.exit(status || 130);
  }
  if (!step.stream) console.log(`✓ ${shown} (${seconds} s)`);
}
console.log(`\nnpm test: green in ${Math.round((Date.now() - startedAll) / 1000)} s`);
if (skipBrowser) console.log(BROWSER_SKIPPED_LINE);
