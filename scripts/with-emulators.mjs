#!/usr/bin/env node
// Runs a command with the emulators (Auth, Firestore, Functions, Hosting) up, then stops them:
//   node scripts/with-emulators.mjs [--fake-llm] [--] [<command...>]
// The command sees FIRESTORE_EMULATOR_HOST, FIREBASE_AUTH_EMULATOR_HOST and friends, and
// CONSOLE_RELAY_URL: the relay the built console talks to (port 3001, as under `npm start`),
// started here once for the whole run. Without a command, the emulators stay up until Ctrl-C (for
// running single test files by hand).
//
// The emulators' own output (thousands of request lines in a test run) goes to
// artifacts/logs/emulators.log, and the model stand-in's to artifacts/logs/fake-llm.log, so the
// terminal shows the command's output alone. When the command fails, the log lines that explain
// it (warnings, errors, stack traces) are printed after it.
//
// --fake-llm also starts tests/fake-llm/server.mjs (a test stand-in for an OpenAI-compatible
// server) and points the API at it; without it the API runs as configured by the environment.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EMULATORS, FIREBASE_BIN, PROJECT_ID, ROOT, emulatorEnv, localKekEnv } from './emulator-env.mjs';

const LOG_DIR = join(ROOT, 'artifacts', 'logs');
const EMULATOR_LOG = join(LOG_DIR, 'emulators.log');
const FAKE_LLM_LOG = join(LOG_DIR, 'fake-llm.log');
const FAKE_LLM_PORT = '5055';
const READY_URL = 'http://127.0.0.1:5000/v1/healthz';
const START_TIMEOUT_MS = 180_000;
const RELAY_ENTRY = 'relay/dist/index.js';
const CONSOLE_RELAY_PORT = '3001';
const CONSOLE_RELAY_URL = `http://127.0.0.1:${CONSOLE_RELAY_PORT}`;
const CONSOLE_RELAY_LOG = join(LOG_DIR, `relay-${CONSOLE_RELAY_PORT}.log`);

const args = process.argv.slice(2);
const fakeLlm = args.includes('--fake-llm');
const sep = args.indexOf('--');
// `npm run emulators -- npx vitest run <file>` passes the command without a `--`.
const command = sep >= 0 ? args.slice(sep + 1) : args.filter((a) => a !== '--fake-llm');

// The addresses are firebase.json's; emulators:exec would export the same variables.
const hosts = {
  FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080',
  FIREBASE_FIRESTORE_EMULATOR_ADDRESS: '127.0.0.1:8080',
  FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099',
  FIREBASE_EMULATOR_HUB: '127.0.0.1:4400',
  GCLOUD_PROJECT: PROJECT_ID,
  ...localKekEnv(),
  // Offline: google-auth-library must not probe for a GCE metadata server.
  METADATA_SERVER_DETECTION: 'none',
};
const llmEnv = fakeLlm
  ? {
      OPENAI_BASE_URL: `http://127.0.0.1:${FAKE_LLM_PORT}/v1`,
      OPENAI_API_KEY: 'fake-key-for-tests',
      MW_DEFAULT_MODEL: 'fake-echo',
      MW_ALLOWED_MODELS: 'fake-echo,fake-500,fake-429,fake-hang,fake-cut,fake-badjson,fake-slow',
      MW_UPSTREAM_TIMEOUT_MS: '3000',
      FAKE_LLM_URL: `http://127.0.0.1:${FAKE_LLM_PORT}`,
      FAKE_LLM_PORT,
    }
  : {};

mkdirSync(LOG_DIR, { recursive: true });
const children = [];
// Own process groups, so that stopping one also stops what it started (the emulators' JVM).
const startLogged = (file, cmd, argv, env) => {
  const out = openSync(file, 'w');
  const child = spawn(cmd, argv, { cwd: ROOT, env, stdio: ['ignore', out, out], detached: true });
  children.push(child);
  return child;
};

const fake = fakeLlm
  ? startLogged(FAKE_LLM_LOG, process.execPath, ['tests/fake-llm/server.mjs'], { ...process.env, ...llmEnv })
  : undefined;
const emulators = startLogged(
  EMULATOR_LOG,
  FIREBASE_BIN,
  ['emulators:start', '--only', EMULATORS, '--project', PROJECT_ID],
  emulatorEnv(llmEnv),
);
let emulatorsExited = false;
const emulatorsGone = new Promise((resolve) =>
  emulators.once('exit', () => {
    emulatorsExited = true;
    resolve();
  }),
);

/**
 * Stops every child: SIGINT lets the Firebase CLI shut its emulators down; SIGKILL if it hangs.
 * The CLI starts the Firestore emulator's JVM in a process group of its own, so a CLI killed
 * while hanging would leave that JVM holding port 8080: every process the children started is
 * noted first and killed if still alive at the end.
 */
async function stopAll() {
  const started = children.flatMap((c) => descendants(c.pid));
  for (const child of children) signalGroup(child, 'SIGINT');
  const hung = setTimeout(() => children.forEach((c) => signalGroup(c, 'SIGKILL')), 20_000);
  await emulatorsGone;
  clearTimeout(hung);
  if (fake) signalGroup(fake, 'SIGKILL');
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
/** Every process below `pid`, from `ps` (Linux and macOS). */
function descendants(pid) {
  let table;
  try {
    table = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  } catch {
    return [];
  }
  const children = new Map();
  for (const line of table.trim().split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const found = [];
  const walk = (p) => {
    for (const c of children.get(p) ?? []) {
      found.push(c);
      walk(c);
    }
  };
  walk(pid);
  return found;
}

/**
 * The lines of a log that explain a failure: warnings, errors and their stack traces, and requests
 * answered with 4xx or 5xx. Only what was written after `from` (the emulators' start-up warnings
 * are there on every run and explain nothing).
 */
function explainingLines(file, from = 0, max = 60) {
  let text;
  try {
    text = readFileSync(file).subarray(from).toString('utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n');
  const picked = new Set();
  lines.forEach((line, i) => {
    if (/(^|\s)(⚠|!!|✖)|\berror\b|exception|unhandled|\bfailed\b|HTTP\/1\.1" [45]\d\d /i.test(line)) {
      for (let j = i; j < Math.min(lines.length, i + 4); j++) picked.add(j);
    }
  });
  return [...picked].slice(-max).map((i) => lines[i]);
}
let readyAt = 0;
function printLogs(reason) {
  console.error(`\n${reason}. Logs: ${EMULATOR_LOG}${fake ? `, ${FAKE_LLM_LOG}` : ''}`);
  const lines = explainingLines(EMULATOR_LOG, readyAt);
  if (lines.length > 0) console.error(`── emulators.log, lines that may explain it ──\n${lines.join('\n')}\n──`);
  else console.error('(nothing in emulators.log looks like an error)');
}

async function waitForUrl(url, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

async function waitUntilReady() {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && !emulatorsExited) {
    try {
      if ((await fetch(READY_URL)).ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    void stopAll().then(() => process.exit(130));
  });
}

const started = Date.now();
if (!(await waitUntilReady())) {
  printLogs(emulatorsExited ? 'The emulators exited during start-up' : 'The emulators did not become ready in time');
  await stopAll();
  process.exit(1);
}
readyAt = statSync(EMULATOR_LOG).size;
console.log(`emulators ready in ${((Date.now() - started) / 1000).toFixed(1)} s (logs in artifacts/logs/)`);

// The console's relay, on 3001 as under `npm start` (the built console looks for it there). One
// for the whole session: browser test files run in parallel, and each starting its own on the same
// port raced for it (the loser's process died, and it used the winner's until that stopped).
if (existsSync(join(ROOT, RELAY_ENTRY))) {
  startLogged(CONSOLE_RELAY_LOG, process.execPath, [RELAY_ENTRY], {
    ...process.env,
    ...hosts,
    ...llmEnv,
    PORT: CONSOLE_RELAY_PORT,
  });
  if (!(await waitForUrl(`${CONSOLE_RELAY_URL}/healthz`, 30_000))) {
    console.error(`the console's relay did not start on ${CONSOLE_RELAY_PORT}: see ${CONSOLE_RELAY_LOG}`);
    await stopAll();
    process.exit(1);
  }
}

if (command.length === 0) {
  console.log('emulators running; Ctrl-C stops them');
  await emulatorsGone;
  process.exit(0);
}
const run = spawn(command[0], command.slice(1), {
  cwd: ROOT,
  env: { ...process.env, ...hosts, ...llmEnv, CONSOLE_RELAY_URL },
  stdio: 'inherit',
});
const code = await new Promise((resolve) => run.once('exit', (c, signal) => resolve(signal ? 1 : (c ?? 1))));
if (code !== 0) printLogs(`\`${command.join(' ')}\` failed (exit ${code})`);
await stopAll();
process.exit(code);
