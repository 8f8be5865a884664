#!/usr/bin/env node
// `npm start`: the whole system on the emulators (Auth, Firestore, Functions, Hosting), the
// relay on port 3001, a local administrator, and a summary of where everything is. Ctrl-C stops it all.
import { spawn } from 'node:child_process';
import { EMULATORS, FIREBASE_BIN, PROJECT_ID, ROOT, emulatorEnv, localKekEnv } from './emulator-env.mjs';
import { LOCAL_ADMIN, ensureLocalAdmin } from './local-admin.mjs';

const HOSTING = 'http://127.0.0.1:5000';
const AUTH_HOST = '127.0.0.1:9099';
const RELAY = 'http://127.0.0.1:3001';

const emulators = spawn(FIREBASE_BIN, ['emulators:start', '--only', EMULATORS, '--project', PROJECT_ID], {
  cwd: ROOT,
  env: emulatorEnv(),
  stdio: ['ignore', 'inherit', 'inherit'],
});
const children = [emulators];
emulators.on('exit', (code) => {
  for (const c of children) if (c !== emulators) c.kill('SIGTERM');
  process.exit(code ?? 1);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => children.forEach((c) => c.kill(sig)));

async function waitFor(url, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${seconds}s`);
}

try {
  await waitFor(`${HOSTING}/v1/healthz`, 180);
  const relay = spawn(process.execPath, ['relay/dist/index.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '3001',
      GCLOUD_PROJECT: PROJECT_ID,
      FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080',
      FIREBASE_AUTH_EMULATOR_HOST: AUTH_HOST,
      ...localKekEnv(),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(relay);
  relay.on('exit', (code) => {
    if (code !== null && code !== 0) console.error(`relay exited with ${code}`);
  });
  await waitFor(`${RELAY}/healthz`, 30);
  const idToken = await ensureLocalAdmin(AUTH_HOST, PROJECT_ID);
  console.log(`
┌ Memory Weaver is running locally (project ${PROJECT_ID}, emulators only)
│ Console + API   ${HOSTING}            (API under /v1 and the seed's /create_memory etc.)
│ Relay           ${RELAY}         (Socket.IO: memory_update events)
│ Functions       http://127.0.0.1:5001/${PROJECT_ID}/us-central1/api
│ Firestore       127.0.0.1:8080        Auth  ${AUTH_HOST}
│
│ Local admin     ${LOCAL_ADMIN.email} / ${LOCAL_ADMIN.password}
│ Admin ID token (valid 1 h; sign in again for a new one):
│   ${idToken}
│
│ Create an AI:
│   curl -s -X POST ${HOSTING}/v1/handshake -H 'content-type: application/json' \\
│     -H "authorization: Bearer <admin ID token>" -d '{"ai_name":"Assistant"}'
└ Ctrl-C stops everything.
`);
} catch (err) {
  console.error(`start failed: ${err.message}`);
  children.forEach((c) => c.kill('SIGTERM'));
  process.exit(1);
}
