/**
 * @module mcp/routes — MCP over Streamable HTTP at `/mcp`: POST carries JSON-RPC (answered as
 * JSON), GET opens a session's notification stream (SSE), DELETE ends a session.
 *
 * Authentication is the API's own (`authenticateCaller`: the same keys, tokens, limits and log
 * line as every route). An AI's key opens its own AI; an administrator's ID token names the AI in
 * the `x-memory-weaver-ai` header. Every request authenticates afresh, so a revoked key stops at
 * its next request, and its open stream ends at once (mcp/stream.ts).
 *
 * Sessions: `initialize` creates one (its id in `Mcp-Session-Id`, its state in Firestore, see
 * mcp/sessions.ts); every other request gets a fresh server and transport, on whatever instance
 * or worker process it lands, so the transport runs in the SDK's stateless mode and this module
 * checks the session id wherever the session matters (subscriptions, the stream, DELETE).
 */
import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { Router, type Request, type Response } from 'express';
import { AiUuidSchema, MCP_AI_HEADER } from '@memory-weaver/protocol';
import { invalidArgument, openAi, type AiTarget, type Principal } from '@memory-weaver/core';
import type { ChatDeps } from '../chat/prepareChat.js';
import type { ErrorLogger } from '../http/errors.js';
import { requestFacts } from '../http/requestContext.js';
import { authenticated, type RouteDeps } from '../http/route.js';
import { buildServer } from './server.js';
import { closeSession, createSession } from './sessions.js';
import { openStream, streamIds } from './stream.js';
import type { McpCall } from './tools.js';

const SESSION_HEADER = 'mcp-session-id';

export function mcpRoutes(deps: RouteDeps, chat: ChatDeps, log: ErrorLogger): Router {
  const r = Router();
  const { db } = deps;

  const callFor = async (req: Request, res: Response, principal: Principal): Promise<McpCall> => ({
    db,
    principal,
    target: await sessionAi(req, principal, deps),
    route: deps,
    chat,
    log,
    requestId: requestFacts(res).id,
  });

  r.post(
    '/mcp',
    authenticated(deps, async (req, res, principal) => {
      const call = await callFor(req, res, principal);
      const body: unknown = req.body;
      const initializing = Array.isArray(body) ? body.some(isInitializeRequest) : isInitializeRequest(body);
      const transport = new StreamableHTTPServerTransport(
        initializing
          ? {
              sessionIdGenerator: () => randomUUID(),
              onsessioninitialized: (id) => createSession(db, call.target.aiUuid, principal, id, deps.clock.now()),
              enableJsonResponse: true,
            }
          : { enableJsonResponse: true }, // no sessionIdGenerator: the SDK's stateless mode, see above
      );
      const server = buildServer(call, req.get(SESSION_HEADER));
      await serve(server, transport, req, res);
    }),
  );

  r.get(
    '/mcp',
    authenticated(deps, async (req, res, principal) => {
      const call = await callFor(req, res, principal);
      const sessionId = requiredSession(req);
      const server = buildServer(call, sessionId);
      const transport = new StreamableHTTPServerTransport({ eventStore: streamIds });
      const stop = await openStream({
        db,
        aiUuid: call.target.aiUuid,
        sessionId,
        principal,
        server,
        lastEventId: req.get('last-event-id'),
        now: deps.clock.now(),
        onEnd: () => {
          transport.closeStandaloneSSEStream();
        },
      });
      res.on('close', stop);
      await serve(server, transport, req, res);
    }),
  );

  r.delete(
    '/mcp',
    authenticated(deps, async (req, res, principal) => {
      const { aiUuid } = await sessionAi(req, principal, deps);
      await closeSession(db, aiUuid, principal, requiredSession(req), deps.clock.now());
      res.status(200).json({ closed: true });
    }),
  );

  return r;
}

/** Hands the request to the SDK's transport; both are let go when the response ends. */
async function serve(
  server: ReturnType<typeof buildServer>,
  transport: StreamableHTTPServerTransport,
  req: Request,
  res: Response,
): Promise<void> {
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
}

/** The session's AI: a key's own, or the one an administrator names in the header. */
async function sessionAi(req: Request, principal: Principal, deps: RouteDeps): Promise<AiTarget> {
  const named = req.get(MCP_AI_HEADER);
  if (named === undefined && principal.kind === 'admin') {
    throw invalidArgument(`an administrator must name the AI: send the header ${MCP_AI_HEADER}: <ai_uuid>`, {
      field: MCP_AI_HEADER,
    });
  }
  const aiUuid = named ?? (principal.kind === 'admin' ? '' : principal.aiUuid);
  if (!AiUuidSchema.safeParse(aiUuid).success) {
    throw invalidArgument(`${MCP_AI_HEADER} must be an AI's UUID`, { field: MCP_AI_HEADER });
  }
  return openAi(deps.db, principal, aiUuid);
}

function requiredSession(req: Request): string {
  const id = req.get(SESSION_HEADER);
  if (!id || !/^[0-9a-f-]{36}$/.test(id)) {
    throw invalidArgument('send the Mcp-Session-Id header that initialize answered with', { field: SESSION_HEADER });
  }
  return id;
}
