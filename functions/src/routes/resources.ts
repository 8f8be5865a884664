/**
 * @module routes/resources — the resource-style API for the console and new clients:
 * `/v1/ais/{ai_uuid}` and `/v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}`.
 * The same use cases as the seed's endpoints; only the addressing differs.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  AiUuidSchema,
  CreateAiBodySchema,
  CreateMemoryBodySchema,
  EditMemoryBodySchema,
  EventsQuerySchema,
  ListAisQuerySchema,
  ListMemoriesQuerySchema,
  MEMORY_TYPES,
  MemoryIdSchema,
  MemoryTypeSchema,
  MoveMemoryBodySchema,
  UpdateAiBodySchema,
} from '@memory-weaver/protocol';
import { rotateKey, revokeKey } from '../ai/apiKeys.js';
import { createAi } from '../ai/createAi.js';
import { deleteAi, updateAi } from '../ai/manageAi.js';
import { getAi, listAis } from '../ai/readAis.js';
import { createMemory } from '../memory/createMemory.js';
import { deleteMemory } from '../memory/deleteMemory.js';
import { editMemory } from '../memory/editMemory.js';
import { getMemory, listMemories } from '../memory/listMemories.js';
import { moveMemory } from '../memory/moveMemory.js';
import { listEvents, notFound, tierRef, memoryShownTo, eventShownTo } from '@memory-weaver/core';
import { openByPath } from '../http/open.js';
import { mutation, query, type RouteDeps } from '../http/route.js';
import { parse } from '../http/validate.js';

const AiPath = z.object({ ai_uuid: AiUuidSchema });
const TierPath = AiPath.extend({ memory_type: MemoryTypeSchema });
const MemoryPath = TierPath.extend({ memory_id: MemoryIdSchema });

const aiPath = (req: Request) => parse(AiPath, req.params, 'path');

/** `meta.<key>=<value>` query parameters become metadata equality filters. */
function splitMetadataFilters(q: Request['query']): {
  rest: Record<string, unknown>;
  metadata: Record<string, string>;
} {
  const rest: Record<string, unknown> = {};
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(q)) {
    if (key.startsWith('meta.') && key.length > 5 && typeof value === 'string') metadata[key.slice(5)] = value;
    else rest[key] = value;
  }
  return { rest, metadata };
}

export function resourceRoutes(deps: RouteDeps, allowedModels: string[]): Router {
  const r = Router();
  const { db } = deps;

  r.get(
    '/ais',
    query(deps, async (req, principal) => {
      const q = parse(ListAisQuerySchema, req.query, 'query');
      return listAis(db, principal, { limit: q.limit ?? 50, cursor: q.cursor });
    }),
  );
  r.post(
    '/ais',
    mutation(deps, 201, async (req, ctx) => createAi(ctx, parse(CreateAiBodySchema, req.body, 'body').ai_name)),
  );
  r.get(
    '/ais/:ai_uuid',
    query(deps, async (req, principal) => getAi(db, principal, aiPath(req).ai_uuid)),
  );
  r.patch(
    '/ais/:ai_uuid',
    mutation(deps, 200, async (req, ctx) =>
      updateAi(ctx, aiPath(req).ai_uuid, parse(UpdateAiBodySchema, req.body, 'body'), allowedModels),
    ),
  );
  r.delete(
    '/ais/:ai_uuid',
    mutation(deps, 200, async (req, ctx) => deleteAi(ctx, aiPath(req).ai_uuid)),
  );
  r.post(
    '/ais/:ai_uuid/api-key',
    mutation(deps, 201, async (req, ctx) => rotateKey(ctx, aiPath(req).ai_uuid)),
  );
  r.delete(
    '/ais/:ai_uuid/api-key',
    mutation(deps, 200, async (req, ctx) => revokeKey(ctx, aiPath(req).ai_uuid)),
  );

  r.get(
    '/ais/:ai_uuid/stats',
    query(deps, async (req, principal) => {
      const { target } = await openByPath({ db, principal }, req, AiPath);
      const counts = await Promise.all(
        MEMORY_TYPES.map(
          async (tier) => [tier, (await tierRef(db, target.aiUuid, tier).count().get()).data().count] as const,
        ),
      );
      return { ai_uuid: target.aiUuid, memory_counts: Object.fromEntries(counts) };
    }),
  );
  r.get(
    '/ais/:ai_uuid/events',
    query(deps, async (req, principal) => {
      const { target } = await openByPath({ db, principal }, req, AiPath);
      const q = parse(EventsQuerySchema, req.query, 'query');
      const page = await listEvents(db, target.aiUuid, { after: q.after, limit: q.limit ?? 100 });
      return { ...page, events: page.events.map((e) => eventShownTo(principal, e)) };
    }),
  );

  r.get(
    '/ais/:ai_uuid/memories/:memory_type',
    query(deps, async (req, principal) => {
      const { path, target } = await openByPath({ db, principal }, req, TierPath);
      const { rest, metadata } = splitMetadataFilters(req.query);
      const q = parse(ListMemoriesQuerySchema, rest, 'query');
      const page = await listMemories(
        db,
        target.aiUuid,
        path.memory_type,
        { limit: q.limit ?? 20, cursor: q.cursor },
        {
          text: q.q,
          keyword: q.keyword,
          metadata,
          createdAfter: q.created_after ? new Date(q.created_after) : undefined,
          createdBefore: q.created_before ? new Date(q.created_before) : undefined,
        },
      );
      return { ...page, memories: page.memories.map((m) => memoryShownTo(principal, m)) };
    }),
  );
  r.post(
    '/ais/:ai_uuid/memories/:memory_type',
    mutation(deps, 201, async (req, ctx) => {
      const { path, body, target } = await openByPath(ctx, req, TierPath, CreateMemoryBodySchema);
      return createMemory(ctx, target, path.memory_type, body);
    }),
  );
  r.get(
    '/ais/:ai_uuid/memories/:memory_type/:memory_id',
    query(deps, async (req, principal) => {
      const { path, target } = await openByPath({ db, principal }, req, MemoryPath);
      const memory = await getMemory(db, target.aiUuid, path.memory_type, path.memory_id);
      if (!memory) throw notFound('memory');
      return memoryShownTo(principal, memory);
    }),
  );
  r.patch(
    '/ais/:ai_uuid/memories/:memory_type/:memory_id',
    mutation(deps, 200, async (req, ctx) => {
      const { path, body, target } = await openByPath(ctx, req, MemoryPath, EditMemoryBodySchema);
      return editMemory(ctx, target, path.memory_type, path.memory_id, body);
    }),
  );
  r.delete(
    '/ais/:ai_uuid/memories/:memory_type/:memory_id',
    mutation(deps, 200, async (req, ctx) => {
      const { path, target } = await openByPath(ctx, req, MemoryPath);
      return deleteMemory(ctx, target, path.memory_type, path.memory_id);
    }),
  );
  r.post(
    '/ais/:ai_uuid/memories/:memory_type/:memory_id/move',
    mutation(deps, 200, async (req, ctx) => {
      const { path, body, target } = await openByPath(ctx, req, MemoryPath, MoveMemoryBodySchema);
      return moveMemory(ctx, target, path.memory_type, body.to_memory_type, path.memory_id);
    }),
  );

  return r;
}
