/** @module tests/support/emulators — firebase-admin and Auth-emulator sign-in for tests. */
import { getApps, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { randomUUID } from 'node:crypto';

export const PROJECT_ID = 'demo-memory-weaver';

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with \`npm test\` (it starts the emulators)`);
  return value;
}

export const FIRESTORE_HOST = requireEnv('FIRESTORE_EMULATOR_HOST');
export const AUTH_HOST = requireEnv('FIREBASE_AUTH_EMULATOR_HOST');
/** The Hosting emulator: rewrites send the API to the `api` function, as in production. */
export const API_URL = process.env.API_BASE_URL ?? 'http://127.0.0.1:5000';

const app = getApps()[0] ?? initializeApp({ projectId: PROJECT_ID });
export const db: Firestore = getFirestore(app);
export const adminAuth = getAuth(app);

/** Creates a user on the Auth emulator and signs in over its REST API; returns an ID token. */
export async function signIn(claims: Record<string, unknown> = {}): Promise<{ uid: string; idToken: string }> {
  const email = `user-${randomUUID()}@example.test`;
  const password = `pw-${randomUUID()}`;
  const user = await adminAuth.createUser({ email, password });
  if (Object.keys(claims).length > 0) await adminAuth.setCustomUserClaims(user.uid, claims);
  const res = await fetch(
    `http://${AUTH_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-key`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, returnSecureToken: true }),
    },
  );
  const body = (await res.json()) as { idToken?: string };
  if (!body.idToken) throw new Error(`sign-in failed: ${JSON.stringify(body)}`);
  return { uid: user.uid, idToken: body.idToken };
}

let adminToken: Promise<string> | undefined;
/** One administrator per test file is enough. */
export const adminIdToken = (): Promise<string> => (adminToken ??= signIn({ admin: true }).then((u) => u.idToken));
