#!/usr/bin/env node
// Makes a Firebase Auth user an administrator (custom claim admin: true):
//   npm run promote-admin -- <email> [--project <id>] [--demote]
// Against the Auth emulator when FIREBASE_AUTH_EMULATOR_HOST is set (npm start prints it),
// otherwise against the real project with Application Default Credentials.
// The user must sign in again (or refresh their ID token) for the claim to show. Demoting also
// revokes the user's refresh tokens, so the ID tokens they hold stop working where revocation is checked.
import { initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { PROJECT_ID } from './emulator-env.mjs';

const args = process.argv.slice(2);
const email = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--project');
const projectFlag = args.indexOf('--project');
const projectId = projectFlag >= 0 ? args[projectFlag + 1] : (process.env.GCLOUD_PROJECT ?? PROJECT_ID);
const demote = args.includes('--demote');
if (!email) {
  console.error('usage: npm run promote-admin -- <email> [--project <id>] [--demote]');
  process.exit(2);
}
const auth = getAuth(initializeApp({ projectId }));
const user = await auth.getUserByEmail(email);
const claims = { ...(user.customClaims ?? {}) };
if (demote) delete claims.admin;
else claims.admin = true;
await auth.setCustomUserClaims(user.uid, claims);
// A demoted admin's ID tokens still carry `admin: true` until they expire (up to an hour);
// revoking their refresh tokens makes every check that asks for revocation (the relay's, on each
// join and message) refuse those tokens at once.
if (demote) await auth.revokeRefreshTokens(user.uid);
console.log(`${email} (${user.uid}) in ${projectId}: admin=${!demote}`);
