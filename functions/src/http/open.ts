/**
 * @module http/open — how a route about one AI opens: parse the request's parts, then open the AI
 * they name for this caller with `openAi` (the one access rule). The parts are parsed first, so a
 * malformed request is a 400 whether or not the AI exists.
 */
import type { Request } from 'express';
import type { Firestore } from 'firebase-admin/firestore';
import type { z } from 'zod';
import { openAi, type AiTarget, type Principal } from '@memory-weaver/core';
import { parse } from './validate.js';

/** Who asks, and of which database: a `MutationContext` is one, and a query builds one. */
export interface Caller {
  db: Firestore;
  principal: Principal;
}

/** The resource API: the path names the AI (`/ais/:ai_uuid/...`); the body, if any, is the request. */
export async function openByPath<P extends z.ZodType<{ ai_uuid: string }>, B extends z.ZodType = z.ZodUndefined>(
  caller: Caller,
  req: Request,
  pathSchema: P,
  bodySchema?: B,
): Promise<{ path: z.infer<P>; body: z.infer<B>; target: AiTarget }> {
  const path = parse(pathSchema, req.params, 'path');
  const body = bodySchema === undefined ? undefined : parse(bodySchema, req.body, 'body');
  const target = await openAi(caller.db, caller.principal, path.ai_uuid);
  return { path, body: body as z.infer<B>, target };
}

/** The seed's endpoints: the body names the AI twice, by `ai_uuid` and `ai_name`, and they must agree. */
export async function openByBody<B extends z.ZodType<{ ai_uuid: string; ai_name: string }>>(
  caller: Caller,
  req: Request,
  bodySchema: B,
): Promise<{ body: z.infer<B>; target: AiTarget }> {
  const body = parse(bodySchema, req.body, 'body');
  const target = await openAi(caller.db, caller.principal, body.ai_uuid, { expectedName: body.ai_name });
  return { body, target };
}
