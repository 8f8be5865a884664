/**
 * @module emulatorGuard — refuse to run against emulators outside local runs.
 *
 * The Auth emulator signs nothing: with FIREBASE_AUTH_EMULATOR_HOST set, firebase-admin accepts
 * any well-formed token. A deployed service that inherited that variable would accept forged
 * admin tokens, so any emulator setting is allowed only with a `demo-` project id, which can
 * never name a real project.
 */
const EMULATOR_VARS = ['FIREBASE_AUTH_EMULATOR_HOST', 'FIRESTORE_EMULATOR_HOST', 'FIREBASE_STORAGE_EMULATOR_HOST'];

export function assertEmulatorsOnlyLocally(env: NodeJS.ProcessEnv, projectId: string | undefined): void {
  const set = EMULATOR_VARS.filter((name) => (env[name] ?? '').trim() !== '');
  if (set.length === 0) return;
  if (projectId?.startsWith('demo-')) return;
  throw new Error(
    `refusing to start: ${set.join(', ')} set for project "${projectId ?? '(none)'}". ` +
      'Emulator settings are accepted only with a demo- project id (local runs).',
  );
}

export function projectIdFrom(env: NodeJS.ProcessEnv): string | undefined {
  if (env.GCLOUD_PROJECT) return env.GCLOUD_PROJECT;
  if (env.GOOGLE_CLOUD_PROJECT) return env.GOOGLE_CLOUD_PROJECT;
  try {
    return env.FIREBASE_CONFIG ? (JSON.parse(env.FIREBASE_CONFIG) as { projectId?: string }).projectId : undefined;
  } catch {
    return undefined;
  }
}
