#!/usr/bin/env node
// Runs a command with the emulators (Auth, Firestore, Functions, Hosting) up, then stops them:
//   node scripts/with-emulators.mjs [--fake-llm] -- <command...>
// The command sees FIRESTORE_EMULATOR_HOST, FIREBASE_AUTH_EMULATOR_HOST and friends.
// --fake-llm also starts tests/fake-llm/server.mjs (a test stand-in for an OpenAI-compatible
// server) and points the API at it; without it the API runs as configured by the environment.
import { spawn } from 'node:child_process';
import { EMULATORS, FIREBASE_BIN, PROJECT_ID, ROOT, emulatorEnv } from './emulator-env.mjs';

const fakeLlm = process.argv.includes('--fake-llm');
const FAKE_LLM_PORT = '5055';
const sep = process.argv.indexOf('--');
const command = sep >= 0 ? process.argv.slice(sep + 1) : process.argv.slice(2).filter((a) => a !== '--fake-llm');
if (command.length === 0) {
  console.error('usage: node scripts/with-emulators.mjs -- <command...>');
  process.exit(2);
}
const quoted = command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
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
const fake = fakeLlm
  ? spawn(process.execPath, ['tests/fake-llm/server.mjs'], {
      cwd: ROOT,
      env: { ...process.env, ...llmEnv },
      stdio: 'inherit',
    })
  : undefined;
const child = spawn(FIREBASE_BIN, ['emulators:exec', '--only', EMULATORS, '--project', PROJECT_ID, quoted], {
  cwd: ROOT,
  env: emulatorEnv(llmEnv),
  stdio: 'inherit',
});
child.on('exit', (code, signal) => {
  fake?.kill('SIGTERM');
  process.exit(signal ? 1 : (code ?? 1));
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    fake?.kill(sig);
    child.kill(sig);
  });
}
