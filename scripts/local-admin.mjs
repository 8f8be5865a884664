// The local administrator on the Auth emulator: created (or reset) by `npm start`.
export const LOCAL_ADMIN = { email: 'admin@memory-weaver.local', password: 'memory-weaver-admin' };

/** Creates or resets the local admin on the Auth emulator at `authHost` and returns an ID token. */
export async function ensureLocalAdmin(authHost, projectId) {
  const { initializeApp } = await import('firebase-admin/app');
  const { getAuth } = await import('firebase-admin/auth');
  process.env.FIREBASE_AUTH_EMULATOR_HOST = authHost;
  const auth = getAuth(initializeApp({ projectId }, 'local-admin'));
  let user;
  try {
    user = await auth.getUserByEmail(LOCAL_ADMIN.email);
    await auth.updateUser(user.uid, { password: LOCAL_ADMIN.password });
  } catch {
    user = await auth.createUser({
      email: LOCAL_ADMIN.email,
      password: LOCAL_ADMIN.password,
      displayName: 'Local admin',
    });
  }
  await auth.setCustomUserClaims(user.uid, { admin: true });
  const res = await fetch(
    `http://${authHost}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-key`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...LOCAL_ADMIN, returnSecureToken: true }),
    },
  );
  const body = await res.json();
  return body.idToken;
}
