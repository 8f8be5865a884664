/** @module tests/mcp/client — the official MCP client against the emulated API's /mcp. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { API_URL } from '../support/emulators.js';
import type { Json } from '../support/http.js';

export interface Connected {
  client: Client;
  transport: StreamableHTTPClientTransport;
  /** URIs of every resources/updated received, in order. */
  updates: string[];
  /** Resolves at the next resources/updated for `uri`. */
  nextUpdate: (uri: string, timeoutMs?: number) => Promise<{ uri: string; receivedAt: number }>;
  close: () => Promise<void>;
}

export async function connect(token: string, headers: Record<string, string> = {}): Promise<Connected> {
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', API_URL), {
    requestInit: { headers: { authorization: `Bearer ${token}`, ...headers } },
  });
  const client = new Client({ name: 'memory-weaver-tests', version: '0.0.0' });
  const updates: string[] = [];
  const waiters: { uri: string; resolve: (u: { uri: string; receivedAt: number }) => void }[] = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
    const receivedAt = performance.now();
    updates.push(n.params.uri);
    for (const w of waiters.filter((x) => x.uri === n.params.uri)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve({ uri: n.params.uri, receivedAt });
    }
  });
  await client.connect(transport);
  return {
    client,
    transport,
    updates,
    nextUpdate: (uri, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const waiter = {
          uri,
          resolve: (u: { uri: string; receivedAt: number }) => {
            clearTimeout(timer);
            resolve(u);
          },
        };
        // A waiter that timed out leaves, so a late notification can't answer the next one.
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no resources/updated for ${uri} within ${String(timeoutMs)} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      }),
    close: async () => {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
}

/** A tool's structured result, or its error text as a thrown error. */
export async function tool(c: Connected, name: string, args: Record<string, unknown>): Promise<Json> {
  const result = (await c.client.callTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) throw new Error(`tool ${name} failed: ${textOf(result)}`);
  return result.structuredContent;
}

/** A tool call expected to fail: its error text. */
export async function toolError(c: Connected, name: string, args: Record<string, unknown>): Promise<string> {
  const result = (await c.client.callTool({ name, arguments: args })) as CallToolResult;
  if (!result.isError) throw new Error(`tool ${name} succeeded: ${textOf(result)}`);
  return textOf(result);
}

export const textOf = (r: CallToolResult): string =>
  r.content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join('\n');
