/**
 * @module routes/bench — a floor for the write benchmark (bench/search.ts), present only under the
 * emulators: `POST /v1/_bench/write` (administrators) makes one bare Firestore write and answers
 * `{ ok: true }`, so the bench can time what the HTTP path (Hosting → Functions → Express,
 * authentication, one write) costs before any memory logic. Deployed, the router is empty and
 * the path answers 404 like any unknown endpoint.
 *
 * "Under the emulators" is the Functions emulator's own `FUNCTIONS_EMULATOR=true` together with a
 * `demo-` project id (see emulatorGuard.ts in @memory-weaver/core): a deployed function has neither.
 */
import { Router } from 'express';
import { FieldValue } from 'firebase-admin/firestore';
import { projectIdFrom, requireAdmin } from '@memory-weaver/core';
import { query, type RouteDeps } from '../http/route.js';

/** Where the floor writes: a collection of its own, out of every AI's data. */
export const BENCH_FLOOR_COLLECTION = 'bench_floor';

export function benchRoutesEnabled(env: NodeJS.ProcessEnv): boolean {
  return env.FUNCTIONS_EMULATOR === 'true' && (projectIdFrom(env)?.startsWith('demo-') ?? false);
}

export function benchRoutes(deps: RouteDeps, env: NodeJS.ProcessEnv): Router {
  const r = Router();
  if (!benchRoutesEnabled(env)) return r;
  r.post(
    '/_bench/write',
    query(deps, async (_req, principal) => {
      requireAdmin(principal);
      await deps.db.collection(BENCH_FLOOR_COLLECTION).doc().set({ at: FieldValue.serverTimestamp() });
      return { ok: true };
    }),
  );
  return r;
}
