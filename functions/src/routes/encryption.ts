/**
 * @module routes/encryption — an AI's encryption at rest (administrators): its status, whether its
 * vectors are stored, and the rotation of its data key (functions/src/crypto/rotation.ts).
 */
import { Router } from 'express';
import { z } from 'zod';
import { AiUuidSchema, UpdateEncryptionBodySchema } from '@memory-weaver/protocol';
import { requireAdmin } from '@memory-weaver/core';
import { beginRotation, continueRotation, encryptionStatus, setStoreVectors } from '../crypto/rotation.js';
import { openByPath } from '../http/open.js';
import { mutation, query, type RouteDeps } from '../http/route.js';

const AiPath = z.object({ ai_uuid: AiUuidSchema });
/**
 * How long one request works on a rotation before answering `running` (another POST continues):
 * well inside the function's 60 s timeout.
 */
const ROTATION_BUDGET_MS = 20_000;

export function encryptionRoutes(deps: RouteDeps): Router {
  const r = Router();
  const { db } = deps;

  r.get(
    '/ais/:ai_uuid/encryption',
    query(deps, async (req, principal) => {
      requireAdmin(principal);
      const { target } = await openByPath({ db, principal }, req, AiPath);
      return encryptionStatus(db, target.aiUuid);
    }),
  );
  r.patch(
    '/ais/:ai_uuid/encryption',
    mutation(deps, 200, async (req, ctx) => {
      requireAdmin(ctx.principal);
      const { target, body } = await openByPath(ctx, req, AiPath, UpdateEncryptionBodySchema);
      await setStoreVectors(db, target.aiUuid, body.store_vectors);
      return encryptionStatus(db, target.aiUuid);
    }),
  );
  r.post(
    '/ais/:ai_uuid/encryption/rotate-key',
    mutation(deps, 202, async (req, ctx) => {
      requireAdmin(ctx.principal);
      const { target } = await openByPath(ctx, req, AiPath);
      await beginRotation(db, target.aiUuid, ctx.clock.now());
      await continueRotation(db, target.aiUuid, ROTATION_BUDGET_MS);
      return encryptionStatus(db, target.aiUuid);
    }),
  );
  return r;
}
