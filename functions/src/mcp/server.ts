/**
 * @module mcp/server — one MCP server for one HTTP request, bound to its caller and AI: the
 * tools (mcp/tools.ts), each tier as a resource (`memory://<ai_uuid>/<memory_type>`: its newest
 * memories as JSON) and subscriptions to them (kept in the session, mcp/sessions.ts). The
 * low-level `Server` of the official SDK is used rather than `McpServer`, because the input
 * schemas are the protocol's zod 4 schemas, parsed here, and their JSON Schema is made by the
 * same zod (the SDK carries its own zod copy).
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { MEMORY_TYPES, parseTierUri, tierUri, type MemoryType } from '@memory-weaver/protocol';
import { ApiError, memoryShownTo } from '@memory-weaver/core';
import { listMemories } from '../memory/listMemories.js';
import { setSubscription } from './sessions.js';
import { callTool, isToolName, toolList, type McpCall } from './tools.js';

/** How many of a tier's newest memories a resource read returns; list_memories pages further. */
const RESOURCE_PAGE = 50;

const TIER_TEXT: Record<MemoryType, string> = {
  working_memory: 'recent context of conversations',
  long_term_memory: 'facts worth keeping indefinitely',
  personal_logs: "the AI's own thoughts and reflections",
  archive: 'historical records, rarely needed',
};

const INSTRUCTIONS =
  "Memory Weaver: this AI's long-lived memory in four tiers (working_memory, long_term_memory, personal_logs, archive). " +
  'search_memories before answering from memory; remember what is worth keeping; update_memory or forget what is wrong. ' +
  'Each tier is a resource you can read and subscribe to: notifications/resources/updated arrives when it changes, whoever changed it.';

// eslint-disable-next-line @typescript-eslint/no-deprecated -- reason: the advanced case the SDK keeps `Server` for: our own zod 4 schemas (see the module comment)
export function buildServer(call: McpCall, sessionId: string | undefined): Server {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- reason: as above
  const server = new Server(
    { name: 'memory-weaver', version: '0.1.0' },
    { capabilities: { tools: {}, resources: { subscribe: true } }, instructions: INSTRUCTIONS },
  );
  const ai = call.target.aiUuid;

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: toolList() }));
  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const { name, arguments: args } = req.params;
    if (!isToolName(name)) {
      throw new McpError(ErrorCode.InvalidParams, `unknown tool "${name}": tools/list names the tools`);
    }
    return callTool(call, name, args);
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => ({
    resources: MEMORY_TYPES.map((tier) => ({
      uri: tierUri(ai, tier),
      name: tier,
      title: `${call.target.aiName}: ${tier}`,
      description: `The ${String(RESOURCE_PAGE)} newest memories of ${tier} (${TIER_TEXT[tier]}), as JSON.`,
      mimeType: 'application/json',
    })),
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (req) => {
    const tier = ownTier(req.params.uri, ai);
    const page = await listMemories(call.db, ai, tier, { limit: RESOURCE_PAGE });
    const body = { ...page, memories: page.memories.map((m) => memoryShownTo(call.principal, m)) };
    return { contents: [{ uri: req.params.uri, mimeType: 'application/json', text: JSON.stringify(body) }] };
  });

  const subscribe = async (uri: string, on: boolean) => {
    const tier = ownTier(uri, ai);
    if (sessionId === undefined) {
      throw new McpError(
        ErrorCode.InvalidRequest,
        'subscriptions belong to a session: send the Mcp-Session-Id header that initialize answered with',
      );
    }
    try {
      await setSubscription(call.db, ai, call.principal, sessionId, tier, on, call.route.clock.now());
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not_found') {
        throw new McpError(ErrorCode.InvalidRequest, 'this MCP session is unknown or expired: initialize a new one');
      }
      throw err;
    }
    return {};
  };
  server.setRequestHandler(SubscribeRequestSchema, (req) => subscribe(req.params.uri, true));
  server.setRequestHandler(UnsubscribeRequestSchema, (req) => subscribe(req.params.uri, false));
  return server;
}

/** The tier a URI names, if it is one of this session's AI; any other AI's is "not found", as everywhere. */
function ownTier(uri: string, aiUuid: string): MemoryType {
  const parsed = parseTierUri(uri);
  if (parsed?.ai_uuid !== aiUuid) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `resource not found: ${uri.slice(0, 200)}. resources/list names this AI's tiers (memory://<ai_uuid>/<memory_type>)`,
    );
  }
  return parsed.memory_type;
}
