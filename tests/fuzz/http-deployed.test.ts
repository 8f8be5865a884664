/**
 * A smaller fuzz sample through the deployed shape: Hosting's rewrites to the `api` function on
 * the Functions emulator, which parses bodies (JSON, text, forms) before the app sees them. The
 * same properties as in process (http-app.test.ts), except that a body the platform can't parse
 * may get the platform's own 400 (README, "Malformed JSON on the platform"). Only valid
 * credentials (or none) are sent here: see `MutationOptions.auth`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { API_URL } from '../support/emulators.js';
import { ENDPOINTS, type Endpoint } from './endpoints.js';
import { Fixture, baseWorld, formatTally, newTally } from './harness.js';
import { fuzzCase } from './mutations.js';
import { closeConnections } from './wire.js';

const SEED = Number(process.env.MW_FUZZ_SEED ?? 20_261_122);
const RUNS = 160;

const tally = newTally();
const started = Date.now();
let fixture: Fixture;

beforeAll(async () => {
  fixture = await Fixture.create(await baseWorld(API_URL), { baseUrl: API_URL, platform: true, tally });
});

afterAll(() => {
  closeConnections();
  console.log(
    `fuzz http-deployed: ${formatTally(tally)}, ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${SEED}`,
  );
});

describe('every endpoint under fuzzed requests, through Hosting and the Functions emulator', () => {
  it('never answers 5xx, shows nothing internal, keeps the error shape, and a refusal changes nothing', async () => {
    // The endpoint travels by name, so that a counterexample prints readably.
    const byName = new Map(ENDPOINTS.map((e) => [e.name, e]));
    const cases = fc
      .constantFrom(...ENDPOINTS.map((e) => e.name))
      .chain((name) => fuzzCase((byName.get(name) as Endpoint).valid, { auth: false }).map((c) => ({ name, c })));
    await fc.assert(
      fc.asyncProperty(cases, ({ name, c }) => fixture.run(byName.get(name) as Endpoint, c)),
      { seed: SEED + 200, numRuns: RUNS },
    );
    await fixture.verifySnapshot();
  }, 180_000);
});
