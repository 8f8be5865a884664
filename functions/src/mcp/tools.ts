/**
 * @module mcp/tools — the MCP tools, each a call of the use case its HTTP route calls (so every
 * write is numbered, streamed and attributed like any other), with its input parsed by the
 * protocol's schema. The session's AI is the tool's AI: no tool can name another.
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Firestore } from 'firebase-admin/firestore';
import {
  MCP_TOOL_NAMES,
  MEMORY_TYPES,
  mcpInputJsonSchema,
  parseMcpToolInput,
  type McpToolInput,
  type McpToolName,
} from '@memory-weaver/protocol';
import { memoryShownTo, type AiTarget, type Clock, type Principal } from '@memory-weaver/core';
import { assembleContext } from '../chat/context.js';
import { loadAiSettings, type ChatDeps } from '../chat/prepareChat.js';
import { openSession } from '../chat/sessions.js';
import type { MutationContext } from '../context.js';
import { describeError, type ErrorLogger } from '../http/errors.js';
import { mutationContext, type RouteDeps } from '../http/route.js';
import { createMemory } from '../memory/createMemory.js';
import { deleteMemory } from '../memory/deleteMemory.js';
import { editMemory } from '../memory/editMemory.js';
import { listMemories } from '../memory/listMemories.js';
import { moveMemory } from '../memory/moveMemory.js';
import { searchMemories } from '../search/searchMemories.js';
import { adviceFor, toolError } from './errors.js';

/** Who calls, about which AI, with what: one MCP request's world. */
export interface McpCall {
  db: Firestore;
  principal: Principal;
  target: AiTarget;
  route: RouteDeps & { clock: Clock };
  chat: ChatDeps;
  log: ErrorLogger;
  requestId: string;
}

const DESCRIPTIONS: Record<McpToolName, string> = {
  search_memories:
    "Search this AI's memories by meaning and words (hybrid by default). Returns the best matches with scores, newest facts included. Use it before answering from memory or before remembering something that may already be stored.",
  remember:
    'Store a new memory in one tier: long_term_memory for lasting facts, working_memory for the current conversation, personal_logs for your own reflections, archive for records rarely needed. Returns its memory_id.',
  update_memory:
    "Change a memory's content and/or metadata (metadata is replaced whole). Needs its tier and memory_id.",
  forget: 'Delete a memory for good. Needs its tier and memory_id.',
  move_memory: 'Move a memory to another tier; it keeps its id, content and metadata.',
  list_memories:
    "List one tier's memories, newest first (limit default 20, at most 100; q filters by content; next_cursor continues).",
  get_context:
    "What this AI would be told for a conversation: the system message with the relevant memories, the session history and the token counts. Give the conversation's messages.",
};

/** `tools/list`: every tool with the JSON Schema of its protocol input. */
export const toolList = (): Tool[] =>
  MCP_TOOL_NAMES.map((name) => ({
    name,
    description: DESCRIPTIONS[name],
    inputSchema: mcpInputJsonSchema(name) as Tool['inputSchema'],
    annotations: { readOnlyHint: READ_ONLY.has(name), destructiveHint: name === 'forget', openWorldHint: false },
  }));

const READ_ONLY = new Set<McpToolName>(['search_memories', 'list_memories', 'get_context']);

/** A write's context: provenance says it came through MCP, and which tool. */
const writeContext = (call: McpCall, tool: McpToolName): MutationContext =>
  mutationContext(call.route, {
    principal: call.principal,
    now: call.route.clock.now(),
    via: `MCP ${tool}`,
    scope: undefined,
    status: 200,
  });

type Runner<N extends McpToolName> = (call: McpCall, input: McpToolInput<N>) => Promise<object>;

const RUN: { [N in McpToolName]: Runner<N> } = {
  search_memories: async (call, input) => {
    const hits = await searchMemories(call.chat, call.target.aiUuid, input.memory_types ?? MEMORY_TYPES, input.query, {
      mode: input.mode ?? 'hybrid',
      limit: input.limit ?? 10,
    });
    return {
      results: hits.map((h) => ({
        memory: memoryShownTo(call.principal, h.memory),
        score: h.score,
        vector_similarity: h.vectorSimilarity,
        keyword_score: h.keywordScore,
      })),
    };
  },
  remember: (call, input) =>
    createMemory(writeContext(call, 'remember'), call.target, input.memory_type, {
      content: input.content,
      metadata: input.metadata,
    }),
  update_memory: (call, input) =>
    editMemory(writeContext(call, 'update_memory'), call.target, input.memory_type, input.memory_id, {
      content: input.content,
      metadata: input.metadata,
    }),
  forget: (call, input) => deleteMemory(writeContext(call, 'forget'), call.target, input.memory_type, input.memory_id),
  move_memory: (call, input) =>
    moveMemory(
      writeContext(call, 'move_memory'),
      call.target,
      input.from_memory_type,
      input.to_memory_type,
      input.memory_id,
    ),
  list_memories: async (call, input) => {
    const page = await listMemories(
      call.db,
      call.target.aiUuid,
      input.memory_type,
      { limit: input.limit ?? 20, cursor: input.cursor },
      {
        text: input.q,
        createdAfter: input.created_after ? new Date(input.created_after) : undefined,
        createdBefore: input.created_before ? new Date(input.created_before) : undefined,
      },
    );
    return { ...page, memories: page.memories.map((m) => memoryShownTo(call.principal, m)) };
  },
  get_context: async (call, input) => {
    // The same steps as POST /v1/ais/{ai}/context (routes/chat.ts).
    const aiUuid = call.target.aiUuid;
    const settings = await loadAiSettings(call.db, aiUuid);
    const session = input.session_id ? await openSession(call.db, call.principal, aiUuid, input.session_id) : null;
    const c = await assembleContext(call.chat, call.db, aiUuid, settings, session?.id ?? null, input.messages);
    return {
      ai_uuid: aiUuid,
      session_id: input.session_id ?? null,
      system: c.system,
      history: c.history,
      memories_used: c.used.map(({ content: _content, ...u }) => u),
      tokens: c.tokens,
    };
  },
};

export const isToolName = (name: string): name is McpToolName => (MCP_TOOL_NAMES as string[]).includes(name);

/** Runs a tool: bad arguments and named failures are tool errors the agent can act on. */
export async function callTool(call: McpCall, name: McpToolName, args: unknown): Promise<CallToolResult> {
  const parsed = parseMcpToolInput(name, args);
  if (!parsed.ok) {
    return toolError(
      `invalid arguments for ${name}: ${parsed.problems.join('; ')}. The tool's inputSchema (tools/list) lists every argument.`,
    );
  }
  const input = parsed.input as Record<string, unknown>;
  try {
    const result = await (RUN[name] as Runner<McpToolName>)(call, parsed.input);
    return {
      content: [{ type: 'text', text: JSON.stringify(result) }],
      structuredContent: result as Record<string, unknown>,
    };
  } catch (err) {
    const advice = adviceFor(err, {
      tool: name,
      memory_id: typeof input.memory_id === 'string' ? input.memory_id : undefined,
      memory_type:
        typeof input.memory_type === 'string'
          ? input.memory_type
          : typeof input.from_memory_type === 'string'
            ? input.from_memory_type
            : undefined,
    });
    if (advice !== null) return toolError(advice);
    call.log.error('mcp tool failed', { request_id: call.requestId, tool: name, error: describeError(err) });
    return toolError(
      READ_ONLY.has(name)
        ? `${name} failed on the server (request ${call.requestId}): call it again; if it keeps failing, report the request id.`
        : `${name} failed on the server (request ${call.requestId}) and may or may not have been applied: check with list_memories before calling it again.`,
    );
  }
}
