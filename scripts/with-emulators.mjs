#!/usr/bin/env node
// Runs a command with the emulators (Auth, Firestore, Functions, Hosting) up, then stops them:
//   node scripts/with-emulators.mjs -- <command...>
// The command sees FIRESTORE_EMULATOR_HOST, FIREBASE_AUTH_EMULATOR_HOST and friends.
import { spawn } from 'node:child_process';
import { EMULATORS, FIREBASE_BIN, PROJECT_ID, ROOT, emulatorEnv } from './emulator-env.mjs';

const sep = process.argv.indexOf('--');
const command = sep >= 0 ? process.argv.slice(sep + 1) : process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: node scripts/with-emulators.mjs -- <command...>');
  process.exit(2);
}
const quoted = command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
const child = spawn(
  FIREBASE_BIN,
  ['emulators:exec', '--only', EMULATORS, '--project', PROJECT_ID, quoted],
  { cwd: ROOT, env: emulatorEnv(), stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
