// Environment for the Firebase CLI's emulators on this machine and on ordinary ones.
//
// The CLI downloads its Firestore emulator jar on first use. Machines without internet have
// Google's jar from the Cloud SDK instead; it has no Main-Class, so the CLI's `java -jar` can't
// start it. A manifest-only wrapper jar (Main-Class + Class-Path to the real jar) can, and
// FIRESTORE_EMULATOR_BINARY_PATH tells the CLI to use it. Without that jar, nothing changes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PROJECT_ID = 'demo-memory-weaver';
const SDK_JAR = '/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar';

function firestoreWrapperJar() {
  if (process.env.FIRESTORE_EMULATOR_BINARY_PATH || !existsSync(SDK_JAR)) return undefined;
  const dir = join(ROOT, '.cache', 'firestore-emulator');
  const jar = join(dir, 'cloud-firestore-emulator-wrapper.jar');
  if (!existsSync(jar)) {
    mkdirSync(dir, { recursive: true });
    const manifest = join(dir, 'MANIFEST.MF');
    writeFileSync(
      manifest,
      `Manifest-Version: 1.0\nMain-Class: com.google.cloud.datastore.emulator.firestore.CloudFirestore\nClass-Path: file:${SDK_JAR}\n`,
    );
    execFileSync('jar', ['cfm', jar, manifest], { cwd: dir, stdio: 'inherit' });
  }
  return jar;
}

/**
 * DEV ONLY: the key-encryption key that wraps AIs' data keys on the emulators (see
 * packages/core/src/crypto/README.md). It is public, so it protects nothing; the code refuses it
 * outside a `demo-` project. Production uses Cloud KMS (`MW_KMS_KEY`).
 */
export const DEV_ONLY_LOCAL_KEK = 'ZGV2LW9ubHkgbWVtb3J5LXdlYXZlciBsb2NhbCBLRUs=';
/** The local KEK for every process of a local run: the emulators, the relays, the tests and the benches. */
export const localKekEnv = () => ({ MW_LOCAL_KEK: process.env.MW_LOCAL_KEK || DEV_ONLY_LOCAL_KEK });

export function emulatorEnv(extra = {}) {
  const jar = firestoreWrapperJar();
  return {
    ...process.env,
    ...(jar ? { FIRESTORE_EMULATOR_BINARY_PATH: jar } : {}),
    // The CLI must not try to reach Google for updates or usage metrics on offline machines.
    FIREBASE_CLI_DISABLE_UPDATE_CHECK: 'true',
    // Offline: google-auth-library must not probe for a GCE metadata server.
    METADATA_SERVER_DETECTION: 'none',
    ...localKekEnv(),
    ...extra,
  };
}

export const FIREBASE_BIN = join(ROOT, 'node_modules', '.bin', 'firebase');
export const EMULATORS = 'auth,firestore,functions,hosting';
