/**
 * @module crypto/kek — the key-encryption key that wraps each AI's data key.
 *
 * Two implementations behind one small interface: Cloud KMS in production (the data key never
 * meets a key this process holds), and a local key from the `MW_LOCAL_KEK` environment secret on
 * the emulators. The local key is refused unless the project id is a `demo-` one (the same rule as
 * emulatorGuard.ts): a deployment that inherited the dev value must not "encrypt" with a key
 * printed in our scripts.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { applicationDefault } from 'firebase-admin/app';
import { projectIdFrom } from '../emulatorGuard.js';

export interface Kek {
  /** Names the KEK in each wrapped key, so a key wrapped by another KEK is recognised as such. */
  readonly id: string;
  /** `context` is bound to the wrapping (AAD): a wrapped key copied to another AI doesn't unwrap. */
  wrap(dataKey: Buffer, context: string): Promise<string>;
  unwrap(wrapped: string, context: string): Promise<Buffer>;
}

/** A KEK held in this process: for the emulators only (see the module comment). */
export function localKek(secretBase64: string): Kek {
  const key = Buffer.from(secretBase64, 'base64');
  if (key.length !== 32) throw new Error('MW_LOCAL_KEK must be 32 bytes, base64');
  return {
    id: 'local',
    // async: a failure (wrong context, tampered bytes) is a rejection, as from KMS.
    wrap: async (dataKey, context) => {
      await Promise.resolve();
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(Buffer.from(context));
      const body = Buffer.concat([c.update(dataKey), c.final()]);
      return Buffer.concat([iv, body, c.getAuthTag()]).toString('base64');
    },
    unwrap: async (wrapped, context) => {
      await Promise.resolve();
      const bytes = Buffer.from(wrapped, 'base64');
      const d = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      d.setAAD(Buffer.from(context));
      d.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([d.update(bytes.subarray(12, bytes.length - 16)), d.final()]);
    },
  };
}

/**
 * Cloud KMS through its REST API (`cryptoKeys.encrypt` / `decrypt`), authenticated with the
 * application default credentials firebase-admin already uses (so no KMS client library). The
 * service account needs `roles/cloudkms.cryptoKeyEncrypterDecrypter` on the key. Not exercised by
 * the tests: the machines that run them have no network to Google.
 */
export function kmsKek(keyName: string, fetchImpl: typeof fetch = fetch): Kek {
  if (!/^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/.test(keyName)) {
    throw new Error('MW_KMS_KEY must be projects/…/locations/…/keyRings/…/cryptoKeys/…');
  }
  const credential = applicationDefault();
  const call = async (verb: 'encrypt' | 'decrypt', body: Record<string, string>) => {
    const token = await credential.getAccessToken();
    const res = await fetchImpl(`https://cloudkms.googleapis.com/v1/${keyName}:${verb}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    // The body of a KMS error names the key and the caller's permissions: kept out of our errors.
    if (!res.ok) throw new Error(`Cloud KMS ${verb} failed with status ${res.status}`);
    return (await res.json()) as Record<string, string>;
  };
  return {
    id: `kms:${keyName}`,
    wrap: async (dataKey, context) => {
      const out = await call('encrypt', {
        plaintext: dataKey.toString('base64'),
        additionalAuthenticatedData: Buffer.from(context).toString('base64'),
      });
      return String(out.ciphertext);
    },
    unwrap: async (wrapped, context) => {
      const out = await call('decrypt', {
        ciphertext: wrapped,
        additionalAuthenticatedData: Buffer.from(context).toString('base64'),
      });
      return Buffer.from(String(out.plaintext), 'base64');
    },
  };
}

/**
 * The KEK the environment names: `MW_KMS_KEY` (a Cloud KMS key name) in production, or
 * `MW_LOCAL_KEK` (base64 of 32 bytes) on a `demo-` project; null when neither is set.
 */
export function kekFromEnv(env: NodeJS.ProcessEnv): Kek | null {
  const kms = env.MW_KMS_KEY?.trim();
  if (kms) return kmsKek(kms);
  const local = env.MW_LOCAL_KEK?.trim();
  if (!local) return null;
  const project = projectIdFrom(env);
  if (!project?.startsWith('demo-')) {
    throw new Error(
      `refusing MW_LOCAL_KEK for project "${project ?? '(none)'}": a local key-encryption key is for the emulators ` +
        '(a demo- project) only; set MW_KMS_KEY to a Cloud KMS key',
    );
  }
  return localKek(local);
}
