/**
 * MCP over Streamable HTTP at /mcp (Hosting → the `api` function), with the official MCP client:
 * every tool, bad arguments, another AI's ids, an administrator naming an AI, live
 * resources/updated after changes made through the HTTP API, and a revoked key.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { MCP_TOOL_NAMES, tierUri } from '@memory-weaver/protocol';
import { adminIdToken } from '../support/emulators.js';
import { call, expectStatus, newAi, type AiSession } from '../support/http.js';
import { createMemory } from '../support/memories.js';
import { connect, tool, toolError, type Connected } from './client.js';

const open: Connected[] = [];
const session = async (token: string, headers?: Record<string, string>) => {
  const c = await connect(token, headers);
  open.push(c);
  return c;
};
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
});

describe('MCP over HTTP', () => {
  it('lists the seven tools with their protocol input schemas and the four tiers as resources', async () => {
    const ai = await newAi();
    const c = await session(ai.api_key);
    const { tools } = await c.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...MCP_TOOL_NAMES].sort());
    const remember = tools.find((t) => t.name === 'remember');
    expect(remember?.inputSchema.required).toEqual(expect.arrayContaining(['content', 'memory_type']));
    expect(c.client.getServerCapabilities()?.resources?.subscribe).toBe(true);
    const { resources } = await c.client.listResources();
    expect(resources.map((r) => r.uri)).toEqual([
      tierUri(ai.ai_uuid, 'working_memory'),
      tierUri(ai.ai_uuid, 'long_term_memory'),
      tierUri(ai.ai_uuid, 'personal_logs'),
      tierUri(ai.ai_uuid, 'archive'),
    ]);
  });

  it('remembers, lists, searches, updates, moves, gives the context and forgets, through the same use cases as HTTP', async () => {
    const ai = await newAi();
    const c = await session(ai.api_key);
    const made = await tool(c, 'remember', {
      memory_type: 'working_memory',
      content: 'The user keeps bees on the roof of the library',
      metadata: { topic: 'bees' },
    });
    expect(made.memory.content).toContain('bees');
    // Stored, numbered and attributed like any write.
    const stored = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/working_memory/${made.memory_id}`, {
      token: ai.api_key,
    });
    expectStatus(stored, 200);
    expect(stored.body.source).toBe('MCP remember');
    const events = await call('GET', `/v1/ais/${ai.ai_uuid}/events`, { token: ai.api_key });
    expect(events.body.events.map((e: { via: string }) => e.via)).toEqual(['MCP remember']);

    const listed = await tool(c, 'list_memories', { memory_type: 'working_memory' });
    expect(listed.memories.map((m: { memory_id: string }) => m.memory_id)).toEqual([made.memory_id]);

    const found = await tool(c, 'search_memories', { query: 'bees on the roof' });
    expect(found.results[0].memory.memory_id).toBe(made.memory_id);

    const edited = await tool(c, 'update_memory', {
      memory_type: 'working_memory',
      memory_id: made.memory_id,
      content: 'The user keeps three hives of bees on the library roof',
    });
    expect(edited.memory.content).toContain('three hives');

    const moved = await tool(c, 'move_memory', {
      memory_id: made.memory_id,
      from_memory_type: 'working_memory',
      to_memory_type: 'long_term_memory',
    });
    expect(moved.memory.memory_type).toBe('long_term_memory');
    expect(moved.memory.moved_from).toBe('working_memory');

    const context = await tool(c, 'get_context', {
      messages: [{ role: 'user', content: 'Tell me about the bee hives' }],
    });
    expect(context.system).toContain('three hives');
    expect(context.memories_used.map((m: { memory_id: string }) => m.memory_id)).toContain(made.memory_id);

    const read = await c.client.readResource({ uri: tierUri(ai.ai_uuid, 'long_term_memory') });
    const tier = JSON.parse((read.contents[0] as { text: string }).text);
    expect(tier.memories.map((m: { memory_id: string }) => m.memory_id)).toEqual([made.memory_id]);

    const gone = await tool(c, 'forget', { memory_type: 'long_term_memory', memory_id: made.memory_id });
    expect(gone).toMatchObject({ memory_id: made.memory_id, deleted: true });
    const after = await call('GET', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory/${made.memory_id}`, {
      token: ai.api_key,
    });
    expectStatus(after, 404);
  });

  it('answers bad arguments with a tool error that names the argument and changes nothing', async () => {
    const ai = await newAi();
    const c = await session(ai.api_key);
    expect(await toolError(c, 'remember', { memory_type: 'short_term', content: 'x' })).toMatch(
      /invalid arguments for remember: memory_type: .*working_memory/,
    );
    expect(await toolError(c, 'remember', { memory_type: 'archive', content: '' })).toMatch(
      /content: content must not be empty/,
    );
    expect(await toolError(c, 'update_memory', { memory_type: 'archive', memory_id: 'abc' })).toMatch(
      /give content, metadata or both/,
    );
    expect(await toolError(c, 'search_memories', { query: 'x', extra: 1 })).toMatch(
      /invalid arguments for search_memories/,
    );
    const missing = await toolError(c, 'forget', { memory_type: 'long_term_memory', memory_id: 'no-such-memory' });
    expect(missing).toContain('memory "no-such-memory" not found in long_term_memory');
    expect(missing).toContain('list_memories');
    const mem = await tool(c, 'remember', { memory_type: 'archive', content: 'a record' });
    expect(
      await toolError(c, 'move_memory', {
        memory_id: mem.memory_id,
        from_memory_type: 'archive',
        to_memory_type: 'archive',
      }),
    ).toMatch(/already in that tier/);
    await expect(c.client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow(/unknown tool/);
    for (const text of [missing]) expect(text).not.toMatch(/at .+\.(js|ts):\d+|FirebaseError|grpc/i);
    const events = await call('GET', `/v1/ais/${ai.ai_uuid}/events`, { token: ai.api_key });
    expect(events.body.events).toHaveLength(1); // only the remember
  });

  it("never reaches another AI's memories, by id, by resource or by header", async () => {
    const [mine, other] = await Promise.all([newAi(), newAi()]);
    const theirs = await createMemory(other, 'long_term_memory', 'a secret of the other AI');
    const c = await session(mine.api_key);
    for (const [name, args] of [
      ['forget', { memory_type: 'long_term_memory', memory_id: theirs.memory_id }],
      ['update_memory', { memory_type: 'long_term_memory', memory_id: theirs.memory_id, content: 'overwritten' }],
      ['move_memory', { memory_id: theirs.memory_id, from_memory_type: 'long_term_memory', to_memory_type: 'archive' }],
    ] as const) {
      expect(await toolError(c, name, args)).toContain('not found in long_term_memory');
    }
    const search = await tool(c, 'search_memories', { query: 'secret of the other AI' });
    expect(search.results).toEqual([]);
    await expect(c.client.readResource({ uri: tierUri(other.ai_uuid, 'long_term_memory') })).rejects.toThrow(
      /resource not found/,
    );
    await expect(c.client.subscribeResource({ uri: tierUri(other.ai_uuid, 'long_term_memory') })).rejects.toThrow(
      /resource not found/,
    );
    // A key naming another AI in the header gets the same 404 as a UUID that doesn't exist.
    await expect(connect(mine.api_key, { 'x-memory-weaver-ai': other.ai_uuid })).rejects.toThrow(/not_found/);
    const stillThere = await call('GET', `/v1/ais/${other.ai_uuid}/memories/long_term_memory/${theirs.memory_id}`, {
      token: other.api_key,
    });
    expectStatus(stillThere, 200);
    expect(stillThere.body.content).toBe('a secret of the other AI');
  });

  it('lets an administrator open the AI named in x-memory-weaver-ai, and asks one who names none to name it', async () => {
    const ai = await newAi();
    await createMemory(ai, 'personal_logs', 'a note to self');
    const admin = await adminIdToken();
    const c = await session(admin, { 'x-memory-weaver-ai': ai.ai_uuid });
    const listed = await tool(c, 'list_memories', { memory_type: 'personal_logs' });
    expect(listed.memories.map((m: { content: string }) => m.content)).toEqual(['a note to self']);
    const made = await tool(c, 'remember', { memory_type: 'archive', content: 'filed by the admin' });
    expect(made.memory.created_by.kind).toBe('admin');
    await expect(connect(admin)).rejects.toThrow(/400|x-memory-weaver-ai/);
    const res = await fetch(new URL('/mcp', 'http://127.0.0.1:5000'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });

  it('notifies a subscribed tier when it changes through the HTTP API, and no other tier', async () => {
    const ai: AiSession = await newAi();
    const c = await session(ai.api_key);
    const longTerm = tierUri(ai.ai_uuid, 'long_term_memory');
    const archive = tierUri(ai.ai_uuid, 'archive');
    await c.client.subscribeResource({ uri: longTerm });
    await c.client.subscribeResource({ uri: archive });

    const created = c.nextUpdate(longTerm);
    const m = await createMemory(ai, 'long_term_memory', 'the user moved to Lisbon');
    await created;

    // A change to a tier nobody follows says nothing; a move says it to both tiers it touches.
    await createMemory(ai, 'working_memory', 'small talk');
    const movedOut = c.nextUpdate(longTerm);
    const movedIn = c.nextUpdate(archive);
    const reply = await call('POST', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory/${m.memory_id}/move`, {
      token: ai.api_key,
      body: { to_memory_type: 'archive' },
    });
    expectStatus(reply, 200);
    await Promise.all([movedOut, movedIn]);
    expect(c.updates).not.toContain(tierUri(ai.ai_uuid, 'working_memory'));

    // After unsubscribing, a change is not news any more.
    await c.client.unsubscribeResource({ uri: longTerm });
    const archived = c.nextUpdate(archive);
    await createMemory(ai, 'long_term_memory', 'not followed any more');
    await createMemory(ai, 'archive', 'still followed');
    await archived;
    expect(c.updates.filter((u) => u === longTerm)).toHaveLength(2);
  });

  it('stops a revoked key at its next call and refuses it a new session', async () => {
    const ai = await newAi();
    const c = await session(ai.api_key);
    await tool(c, 'remember', { memory_type: 'working_memory', content: 'before the revocation' });
    const revoked = await call('DELETE', `/v1/ais/${ai.ai_uuid}/api-key`, { token: await adminIdToken() });
    expectStatus(revoked, 200);
    await expect(
      c.client.callTool({ name: 'list_memories', arguments: { memory_type: 'working_memory' } }),
    ).rejects.toThrow(/401|key_revoked/);
    await expect(connect(ai.api_key)).rejects.toThrow(/401|key_revoked/);
  });
});
