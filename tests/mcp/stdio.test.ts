/**
 * `memory-weaver-mcp` (the mcp/ workspace's bin) over stdio with the official client's
 * StdioClientTransport: URL and key from the environment, the same tools as /mcp, and
 * resources/updated after a change made through the HTTP API.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { MCP_TOOL_NAMES, tierUri } from '@memory-weaver/protocol';
import { API_URL } from '../support/emulators.js';
import { call, expectStatus, newAi } from '../support/http.js';
import { createMemory } from '../support/memories.js';

const BIN = fileURLToPath(new URL('../../mcp/bin/memory-weaver-mcp.mjs', import.meta.url));
const clients: Client[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

async function stdioClient(apiKey: string): Promise<{ client: Client; updates: string[] }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN],
    env: { PATH: process.env.PATH ?? '', MEMORY_WEAVER_URL: API_URL, MEMORY_WEAVER_API_KEY: apiKey },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'memory-weaver-stdio-tests', version: '0.0.0' });
  const updates: string[] = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
    updates.push(n.params.uri);
  });
  await client.connect(transport);
  clients.push(client);
  return { client, updates };
}

describe('memory-weaver-mcp over stdio', () => {
  it('says which settings are missing and exits, without starting', () => {
    const run = spawnSync(process.execPath, [BIN], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('MEMORY_WEAVER_URL');
    expect(run.stdout).toBe('');
  });

  it('serves the tools of /mcp for the key in its environment, and follows a tier changed through HTTP', async () => {
    const ai = await newAi();
    const { client, updates } = await stdioClient(ai.api_key);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...MCP_TOOL_NAMES].sort());

    const made = (await client.callTool({
      name: 'remember',
      arguments: { memory_type: 'long_term_memory', content: 'The user is allergic to hazelnuts' },
    })) as CallToolResult;
    expect(made.isError).toBeFalsy();
    const id = (made.structuredContent as { memory_id: string }).memory_id;
    const stored = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory/${id}`, { token: ai.api_key });
    expectStatus(stored, 200);

    const bad = (await client.callTool({
      name: 'forget',
      arguments: { memory_type: 'archive', memory_id: id },
    })) as CallToolResult;
    expect(bad.isError).toBe(true);

    const uri = tierUri(ai.ai_uuid, 'long_term_memory');
    await client.subscribeResource({ uri });
    await createMemory(ai, 'long_term_memory', 'The user now lives in Porto');
    await vi.waitFor(
      () => {
        expect(updates).toContain(uri);
      },
      { timeout: 10_000, interval: 50 },
    );
  });
});
