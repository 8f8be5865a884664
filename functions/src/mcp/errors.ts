/**
 * @module mcp/errors — what an agent is told when a tool fails. A tool error is a result the model
 * reads (`isError: true`), so it says what was wrong and what to do next, in words; never a stack,
 * a store's message or an internal detail.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ApiError } from '@memory-weaver/core';

export const toolError = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

/** What the tool was asked about, for the hints. */
export interface ToolFacts {
  tool: string;
  memory_id?: string | undefined;
  memory_type?: string | undefined;
  to_memory_type?: string | undefined;
}

/** A named failure of a use case as advice; null for a failure we did not name (the caller logs it). */
export function adviceFor(err: unknown, facts: ToolFacts): string | null {
  if (!(err instanceof ApiError)) return null;
  const tier = facts.memory_type;
  switch (err.code) {
    case 'not_found':
      if (err.message.startsWith('memory') && facts.memory_id !== undefined && tier !== undefined) {
        return (
          `memory "${facts.memory_id}" not found in ${tier}. ` +
          `Call list_memories with memory_type "${tier}" to see the ids it holds, or search_memories to find the memory by its content (it may be in another tier).`
        );
      }
      if (err.message.startsWith('chat session')) {
        return 'chat session not found: leave session_id out to get the context without a session, or use the id of a session this AI opened.';
      }
      return `${err.message}.`;
    case 'conflict':
      return `${err.message}: forget or move that memory first, or choose another destination tier.`;
    case 'invalid_argument':
      return `${err.message}. Fix the argument and call ${facts.tool} again.`;
    case 'unavailable':
    case 'rate_limited':
      return `${err.message}. Call ${facts.tool} again in a second or two; nothing was changed.`;
    case 'unauthenticated':
    case 'key_revoked':
    case 'permission_denied':
      return `${err.message}. This session's credential no longer works: the AI's owner must issue a new API key.`;
    default:
      return err.status >= 500 ? null : `${err.message}.`;
  }
}
