/**
 * Who owns a chat session: one opened with an AI's key belongs to that AI (any of its keys); one an
 * administrator opened is the administrators'. An administrator's uid never reaches an AI's key.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseKey } from '@memory-weaver/core';
import { REDACTED_ADMIN_ID } from '../../functions/src/memory/record.js';
import { signIn } from '../support/emulators.js';
import { call, expectError, expectStatus, newAi, type AiSession, type Json } from '../support/http.js';
import { storedState } from '../support/memories.js';

/** Opens (or continues) a session with one completion; returns its session id. */
async function chat(token: string, ai: AiSession, text: string, sessionId?: string): Promise<string> {
  const r = await call('POST', '/v1/chat/completions', {
    token,
    body: {
      model: 'fake-echo',
      ai_uuid: ai.ai_uuid,
      messages: [{ role: 'user', content: text }],
      ...(sessionId ? { session_id: sessionId } : {}),
    },
  });
  expectStatus(r, 200);
  return r.body.memory_weaver.session_id as string;
}

const sessionIds = (r: { body: Json }): string[] =>
  (r.body.sessions as { session_id: string }[]).map((s) => s.session_id);

/** Every session a caller can list, page by page. */
async function listAll(ai: AiSession, token: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const r = await call('GET', `/v1/ais/${ai.ai_uuid}/sessions?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, {
      token,
    });
    expectStatus(r, 200);
    ids.push(...sessionIds(r));
    cursor = r.body.next_cursor as string | null;
  } while (cursor);
  return ids;
}

describe('who owns a chat session', () => {
  let ai: AiSession;
  let admin: { uid: string; idToken: string };
  let adminSession: string;
  let keySession: string;
  beforeAll(async () => {
    ai = await newAi('Session owner');
    admin = await signIn({ admin: true });
    adminSession = await chat(admin.idToken, ai, 'An administrator asks about the AI');
    keySession = await chat(ai.api_key, ai, 'The AI client talks');
  });

  it("lists to an AI's key only the sessions opened with a key of that AI", async () => {
    const r = await call('GET', `/v1/ais/${ai.ai_uuid}/sessions`, { token: ai.api_key });
    expectStatus(r, 200);
    expect(sessionIds(r)).toEqual([keySession]);
  });

  it('lists every session of the AI to an administrator', async () => {
    const r = await call('GET', `/v1/ais/${ai.ai_uuid}/sessions`, { token: admin.idToken });
    expect(sessionIds(r).sort()).toEqual([adminSession, keySession].sort());
  });

  it("answers 404 to a key that reads, deletes, previews or continues an administrator's session, and changes nothing", async () => {
    const before = await storedState(ai.ai_uuid);
    const path = `/v1/ais/${ai.ai_uuid}/sessions/${adminSession}`;
    expectError(await call('GET', path, { token: ai.api_key }), 404, 'not_found');
    expectError(await call('DELETE', path, { token: ai.api_key }), 404, 'not_found');
    expectError(
      await call('POST', `/v1/ais/${ai.ai_uuid}/context`, {
        token: ai.api_key,
        body: { messages: [{ role: 'user', content: 'what did they ask?' }], session_id: adminSession },
      }),
      404,
      'not_found',
    );
    expectError(
      await call('POST', '/v1/chat/completions', {
        token: ai.api_key,
        body: { model: 'fake-echo', messages: [{ role: 'user', content: 'go on' }], session_id: adminSession },
      }),
      404,
      'not_found',
    );
    expect(await storedState(ai.ai_uuid)).toEqual(before);
    const still = await call('GET', path, { token: admin.idToken });
    expectStatus(still, 200);
    expect(still.body).toMatchObject({ session_id: adminSession, turns: 1, user_id: admin.uid });
  });

  it("lets an administrator read and continue a key's session, and shows that turn to the key without the uid", async () => {
    const own = await newAi('Continued by admin');
    const session = await chat(own.api_key, own, 'The AI client starts');
    await chat(admin.idToken, own, 'An administrator joins in', session);
    const asKey = await call('GET', `/v1/ais/${own.ai_uuid}/sessions/${session}`, { token: own.api_key });
    expectStatus(asKey, 200);
    expect((asKey.body.chats as { message: string; user_id: string }[]).map((c) => [c.message, c.user_id])).toEqual([
      ['The AI client starts', parseKey(own.api_key)?.keyId],
      ['An administrator joins in', REDACTED_ADMIN_ID],
    ]);
    expect(asKey.text).not.toContain(admin.uid);
    const asAdmin = await call('GET', `/v1/ais/${own.ai_uuid}/sessions/${session}`, { token: admin.idToken });
    expect(asAdmin.body.chats[1].user_id).toBe(admin.uid);
  });

  it('lets a key of the AI use the sessions its rotated-away key opened', async () => {
    const own = await newAi('Rotated');
    const session = await chat(own.api_key, own, 'Said with the first key');
    const rotated = await call('POST', `/v1/ais/${own.ai_uuid}/api-key`, { token: admin.idToken });
    expectStatus(rotated, 201);
    const newKey = rotated.body.api_key as string;
    const r = await call('GET', `/v1/ais/${own.ai_uuid}/sessions/${session}`, { token: newKey });
    expectStatus(r, 200);
    await chat(newKey, own, 'Said with the new key', session);
  });

  it("pages a key's sessions past the administrators' without losing or repeating one", async () => {
    const own = await newAi('Paged sessions');
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      keys.push(await chat(own.api_key, own, `key session ${i}`));
      await chat(admin.idToken, own, `admin session ${i} ${randomUUID()}`);
    }
    expect((await listAll(own, own.api_key, 2)).sort()).toEqual([...keys].sort());
    expect(await listAll(own, admin.idToken, 2)).toHaveLength(6);
  });
});

describe("provenance shown to an AI's key", () => {
  it("searches show a key that an administrator wrote a memory, not the administrator's uid", async () => {
    const ai = await newAi('Provenance');
    const admin = await signIn({ admin: true });
    const created = await call('POST', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory`, {
      token: admin.idToken,
      body: { content: 'The orchard has eleven pear trees.' },
    });
    expectStatus(created, 201);
    const search = (token: string) =>
      call('POST', `/v1/ais/${ai.ai_uuid}/search`, { token, body: { query: 'pear trees in the orchard' } });
    const asKey = await search(ai.api_key);
    expectStatus(asKey, 200);
    expect(asKey.body.results[0].memory.created_by).toEqual({ kind: 'admin', id: REDACTED_ADMIN_ID });
    expect(asKey.text).not.toContain(admin.uid);
    const asAdmin = await search(admin.idToken);
    expect(asAdmin.body.results[0].memory.created_by).toEqual({ kind: 'admin', id: admin.uid });
  });
});
