/**
 * @module mcp — the MCP server's contract: its tools (names and input schemas), its resources (one
 * per tier, `memory://<ai_uuid>/<memory_type>`) and the header by which an administrator names
 * the AI. Each tool takes the shape of the HTTP request it stands for; a tool's AI is the
 * session's, so no tool names one.
 */
import { z } from 'zod';
import { ContextPreviewRequestSchema, SearchRequestSchema } from './chat.js';
import {
  AiUuidSchema,
  ContentSchema,
  CreateMemoryBodySchema,
  LIMITS,
  ListMemoriesQuerySchema,
  MemoryIdSchema,
  MemoryTypeSchema,
  MetadataSchema,
  type MemoryType,
} from './memory.js';

/** An administrator's ID token opens any AI: this header names the one a session is about. */
export const MCP_AI_HEADER = 'x-memory-weaver-ai';

/** `POST /v1/ais/{ai}/memories/{memory_type}`, with the tier in the arguments. */
export const McpRememberInputSchema = CreateMemoryBodySchema.extend({ memory_type: MemoryTypeSchema });

/** `PATCH /v1/ais/{ai}/memories/{memory_type}/{memory_id}`. */
export const McpUpdateInputSchema = z
  .strictObject({
    memory_type: MemoryTypeSchema,
    memory_id: MemoryIdSchema,
    content: ContentSchema.optional(),
    metadata: MetadataSchema.optional(),
  })
  .refine((b) => b.content !== undefined || b.metadata !== undefined, { message: 'give content, metadata or both' });

/** `DELETE /v1/ais/{ai}/memories/{memory_type}/{memory_id}`. */
export const McpForgetInputSchema = z.strictObject({ memory_type: MemoryTypeSchema, memory_id: MemoryIdSchema });

/** `POST /v1/ais/{ai}/memories/{from}/{memory_id}/move` (the seed's `/move_memory` calls the id `document_id`). */
export const McpMoveInputSchema = z.strictObject({
  memory_id: MemoryIdSchema,
  from_memory_type: MemoryTypeSchema,
  to_memory_type: MemoryTypeSchema,
});

/** `GET /v1/ais/{ai}/memories/{memory_type}`; arguments are JSON, so `limit` is a number, not a query string. */
export const McpListInputSchema = ListMemoriesQuerySchema.extend({
  memory_type: MemoryTypeSchema,
  limit: z.int().min(1).max(LIMITS.listPageMax).optional(),
});

/** Every tool and its input: search, remember, update, forget, move, list a tier, a conversation's context. */
export const MCP_TOOL_INPUTS = {
  search_memories: SearchRequestSchema,
  remember: McpRememberInputSchema,
  update_memory: McpUpdateInputSchema,
  forget: McpForgetInputSchema,
  move_memory: McpMoveInputSchema,
  list_memories: McpListInputSchema,
  get_context: ContextPreviewRequestSchema,
} as const;
export type McpToolName = keyof typeof MCP_TOOL_INPUTS;
export const MCP_TOOL_NAMES = Object.keys(MCP_TOOL_INPUTS) as McpToolName[];
export type McpToolInput<N extends McpToolName> = z.infer<(typeof MCP_TOOL_INPUTS)[N]>;

/**
 * A tool's input as the JSON Schema MCP advertises (`tools/list`). Made here, by the zod that
 * made the schema, so the schema and its description never come from two zod copies.
 */
export function mcpInputJsonSchema(name: McpToolName): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(MCP_TOOL_INPUTS[name], { io: 'input' });
  return schema;
}

/** Parses one tool's arguments; issues name the argument and say what it must be. */
export function parseMcpToolInput<N extends McpToolName>(
  name: N,
  args: unknown,
): { ok: true; input: McpToolInput<N> } | { ok: false; problems: string[] } {
  const parsed = MCP_TOOL_INPUTS[name].safeParse(args ?? {});
  if (parsed.success) return { ok: true, input: parsed.data as McpToolInput<N> };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(arguments)'}: ${i.message}`),
  };
}

const TIER_URI = /^memory:\/\/([^/]+)\/([a-z_]+)$/;

/** A tier as an MCP resource. */
export const tierUri = (aiUuid: string, tier: MemoryType): string => `memory://${aiUuid}/${tier}`;

/** The AI and tier a resource URI names, or null when it names none. */
export function parseTierUri(uri: string): { ai_uuid: string; memory_type: MemoryType } | null {
  const m = TIER_URI.exec(uri);
  const ai = AiUuidSchema.safeParse(m?.[1]);
  const tier = MemoryTypeSchema.safeParse(m?.[2]);
  return ai.success && tier.success ? { ai_uuid: ai.data, memory_type: tier.data } : null;
}
