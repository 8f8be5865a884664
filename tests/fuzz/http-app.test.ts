/**
 * Property-based fuzzing of every HTTP endpoint, with `createApp` in this process on a real local
 * port against the real Firestore and Auth emulators. Each endpoint gets valid requests built from
 * the protocol's schemas, as they are or mutated (see mutations.ts), and after every answer:
 * never a 5xx (a 429/503 must carry Retry-After), nothing internal in the body, every 4xx in the
 * JSON error shape, nothing logged as an error, and a refused request changed nothing stored.
 *
 * Each endpoint runs on an app of its own (its own rate-limit buckets and key cache); the subject
 * AI is shared by consecutive endpoints until it holds more than SUBJECT_MAX_DOCUMENTS documents
 * (the snapshot after every case reads them all). The seed is fixed (MW_FUZZ_SEED overrides it),
 * so a failure repeats.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { localAppDeps, startApp, type RunningApp } from '../support/app.js';
import { DESTRUCTIVE_AIMED, ENDPOINTS, type Endpoint } from './endpoints.js';
import { Fixture, baseWorld, formatTally, newTally } from './harness.js';
import { fuzzCase } from './mutations.js';
import type { World } from './requests.js';
import { closeConnections } from './wire.js';

const SEED = Number(process.env.MW_FUZZ_SEED ?? 20_261_122);
/** Per endpoint: 29 endpoints × 46 runs, plus the destructive endpoints aimed at throwaway AIs. */
const RUNS = 46;
const DESTRUCTIVE_RUNS = 14;
const SUBJECT_MAX_DOCUMENTS = 300;

const tally = newTally();
const started = Date.now();
let setupApp: RunningApp;
let base: Omit<World, 'subject' | 'ids'>;
let shared: Fixture | undefined;

/** An app whose error log the property reads (a 500 or a failed stream logs there). */
async function loggingApp(): Promise<{ app: RunningApp; drainLog: () => string[] }> {
  const logged: string[] = [];
  const log = {
    error: (message: string, fields: Record<string, unknown>) => {
      logged.push(`${message} ${JSON.stringify(fields)}`);
    },
  };
  const app = await startApp({ ...localAppDeps(), log });
  return { app, drainLog: () => logged.splice(0) };
}

beforeAll(async () => {
  setupApp = await startApp(localAppDeps());
  base = await baseWorld(setupApp.url);
});

afterAll(async () => {
  await setupApp.close();
  closeConnections();
  console.log(`fuzz http-app: ${formatTally(tally)}, ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${SEED}`);
});

describe('every endpoint under fuzzed requests, in process', () => {
  it.each(ENDPOINTS.map((e, i) => [e.name, e, i] as const))(
    '%s: no 5xx, nothing internal, the error shape, and a refusal changes nothing',
    async (_name, endpoint: Endpoint, i) => {
      const { app, drainLog } = await loggingApp();
      try {
        if (!shared || shared.documents() > SUBJECT_MAX_DOCUMENTS) {
          shared = await Fixture.create(base, { baseUrl: app.url, platform: false, tally, drainLog });
        } else {
          shared.useApp(app.url, drainLog);
        }
        const fixture = shared;
        await fc.assert(
          fc.asyncProperty(fuzzCase(endpoint.valid, { auth: true }), (c) => fixture.run(endpoint, c)),
          { seed: SEED + i, numRuns: RUNS },
        );
        await fixture.verifySnapshot();
      } finally {
        await app.close();
      }
    },
    60_000,
  );

  it.each(DESTRUCTIVE_AIMED.map((e, i) => [e.name, e, i] as const))(
    '%s on a throwaway AI: a refusal leaves it as it was',
    async (_name, endpoint: Endpoint, i) => {
      const { app, drainLog } = await loggingApp();
      try {
        await fc.assert(
          fc.asyncProperty(fuzzCase(endpoint.valid, { auth: true }), async (c) => {
            const fixture = await Fixture.create(
              base,
              { baseUrl: app.url, platform: false, tally, drainLog, throwaway: true },
              'fuzz victim',
            );
            await fixture.run(endpoint, c);
          }),
          { seed: SEED + 100 + i, numRuns: DESTRUCTIVE_RUNS },
        );
      } finally {
        await app.close();
      }
    },
    60_000,
  );
});
