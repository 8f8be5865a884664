/**
 * @module routes/legacy — the seed's API contract (`../shared/seeds/002_*.txt`), kept exactly:
 * POST endpoints with snake_case JSON bodies naming the AI by `ai_name` and `ai_uuid`.
 */
import { Router } from 'express';
import {
  CreateMemoryRequestSchema,
  DeleteMemoryRequestSchema,
  EditMemoryRequestSchema,
  HandshakeRequestSchema,
  MoveMemoryRequestSchema,
  RetrieveMemoriesRequestSchema,
  type HandshakeResponse,
  type MemoryData,
} from '@memory-weaver/protocol';
import { openAi } from '@memory-weaver/core';
import { createAi } from '../ai/createAi.js';
import { getAi } from '../ai/readAis.js';
import { createMemory, type MemoryInput } from '../memory/createMemory.js';
import { deleteMemory } from '../memory/deleteMemory.js';
import { editMemory } from '../memory/editMemory.js';
import { listMemories } from '../memory/listMemories.js';
import { moveMemory } from '../memory/moveMemory.js';
import { memoryShownTo } from '../memory/record.js';
import { openByBody } from '../http/open.js';
import { mutation, query, type RouteDeps } from '../http/route.js';
import { parse } from '../http/validate.js';

const DEFAULT_RETRIEVE_LIMIT = 50;

const memoryInput = (data: MemoryData): MemoryInput =>
  typeof data === 'string' ? { content: data } : { content: data.content, metadata: data.metadata };

export function legacyRoutes(deps: RouteDeps): Router {
  const r = Router();

  // An administrator creates an AI (201, with its key shown this once); an AI's own key gets its
  // session data back (200) and creates nothing.
  r.post(
    '/v1/handshake',
    mutation(
      deps,
      (p) => (p.kind === 'admin' ? 201 : 200),
      async (req, ctx): Promise<HandshakeResponse> => {
        if (ctx.principal.kind === 'admin') {
          return createAi(ctx, parse(HandshakeRequestSchema, req.body, 'body').ai_name);
        }
        const body = parse(HandshakeRequestSchema.partial(), req.body, 'body');
        await openAi(ctx.db, ctx.principal, ctx.principal.aiUuid, { expectedName: body.ai_name });
        const ai = await getAi(ctx.db, ctx.principal, ctx.principal.aiUuid);
        return {
          ai_uuid: ai.ai_uuid,
          ai_name: ai.ai_name,
          api_key_prefix: ai.api_key_prefix,
          created: false,
          database_paths: ai.database_paths,
        };
      },
    ),
  );

  r.post(
    '/create_memory',
    mutation(deps, 200, async (req, ctx) => {
      const { body, target } = await openByBody(ctx, req, CreateMemoryRequestSchema);
      return createMemory(ctx, target, body.memory_type, memoryInput(body.memory_data));
    }),
  );

  r.post(
    '/edit_memory',
    mutation(deps, 200, async (req, ctx) => {
      const { body, target } = await openByBody(ctx, req, EditMemoryRequestSchema);
      return editMemory(ctx, target, body.memory_type, body.memory_id, memoryInput(body.memory_data));
    }),
  );

  r.post(
    '/delete_memory',
    mutation(deps, 200, async (req, ctx) => {
      const { body, target } = await openByBody(ctx, req, DeleteMemoryRequestSchema);
      return deleteMemory(ctx, target, body.memory_type, body.memory_id);
    }),
  );

  r.post(
    '/move_memory',
    mutation(deps, 200, async (req, ctx) => {
      const { body, target } = await openByBody(ctx, req, MoveMemoryRequestSchema);
      return moveMemory(ctx, target, body.from_memory_type, body.to_memory_type, body.document_id);
    }),
  );

  r.post(
    '/retrieve_memories',
    query(deps, async (req, principal) => {
      const { body, target } = await openByBody({ db: deps.db, principal }, req, RetrieveMemoriesRequestSchema);
      const filter = body.filter_query;
      const page = await listMemories(
        deps.db,
        target.aiUuid,
        body.memory_type,
        { limit: body.limit ?? DEFAULT_RETRIEVE_LIMIT },
        typeof filter === 'string' ? { text: filter } : { metadata: filter },
      );
      const memories = page.memories.map((m) => memoryShownTo(principal, m));
      return { memories, count: memories.length };
    }),
  );

  return r;
}
