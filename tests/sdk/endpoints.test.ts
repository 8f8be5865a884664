/**
 * Every method of the SDK against the emulator stack (through Hosting), as an administrator and as
 * an AI's key, with the typed error each failure becomes. The SDK's requests go through a `fetch`
 * that notes which route of the protocol's table each successful answer came from; the last test
 * checks that no route was left out, so an endpoint added without an SDK method fails here.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, findRoute } from '@memory-weaver/protocol';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  KeyRevokedError,
  MemoryWeaverClient,
  NotFoundError,
  PermissionDeniedError,
  UpstreamError,
  type ChatCompletionChunk,
  type ClientOptions,
} from '../../sdk/src/index.js';
import { API_URL, adminIdToken } from '../support/emulators.js';
import { newAi, type AiSession } from '../support/http.js';

const FAKE_LLM_URL = process.env.FAKE_LLM_URL ?? 'http://127.0.0.1:5055';
const answered = new Set<string>();
const routeKey = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;

/** The real fetch, noting the route of every 2xx answer. */
const noting: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const route = findRoute(init?.method ?? 'GET', new URL(String(input)).pathname);
  if (res.ok && route) answered.add(routeKey(route));
  return res;
};

const clientFor = (apiKey: ClientOptions['apiKey']) =>
  new MemoryWeaverClient({ baseUrl: API_URL, apiKey, maxRetries: 0, fetch: noting });

let admin: MemoryWeaverClient;
let ai: AiSession;
let client: MemoryWeaverClient;

beforeAll(async () => {
  admin = clientFor(() => adminIdToken());
  ai = await newAi(`SDK endpoints ${randomUUID().slice(0, 8)}`);
  client = clientFor(ai.api_key);
});

describe('the SDK, one method per endpoint', () => {
  it('reads the health check and the OpenAPI document without a credential', async () => {
    const anonymous = clientFor('');
    expect(await anonymous.health()).toEqual({ status: 'ok' });
    const doc = await anonymous.openApi();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(doc.paths)).toContain('/v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}');
  });

  it('manages AIs and their keys as an administrator', async () => {
    const name = `SDK admin ${randomUUID().slice(0, 8)}`;
    const made = await admin.createAi(name);
    expect(made).toMatchObject({ ai_name: name, created: true });
    expect(made.api_key).toMatch(/^mwk_/);
    const viaHandshake = await admin.handshake(`${name} 2`);
    expect(viaHandshake.created).toBe(true);

    const page = await admin.listAis({ limit: 100 });
    expect(page.ais.length).toBeGreaterThan(0);
    expect((await admin.getAi(made.ai_uuid)).ai_name).toBe(name);
    const renamed = await admin.updateAi(made.ai_uuid, { ai_name: `${name} renamed`, instructions: 'Be brief.' });
    expect(renamed).toMatchObject({ ai_name: `${name} renamed`, settings: { instructions: 'Be brief.' } });

    const rotation = await admin.rotateDataKey(made.ai_uuid);
    expect(rotation).toMatchObject({ ai_uuid: made.ai_uuid, encrypted: true, rotation: { status: 'done' } });
    expect(await admin.updateEncryption(made.ai_uuid, { store_vectors: false })).toMatchObject({
      store_vectors: false,
    });
    expect((await admin.encryption(made.ai_uuid)).key_version).toBe(rotation.key_version);

    const rotated = await admin.rotateKey(made.ai_uuid);
    expect(rotated.api_key).not.toBe(made.api_key);
    const retired = await clientFor(made.api_key ?? '')
      .handshake()
      .catch((e: unknown) => e);
    expect(retired).toBeInstanceOf(KeyRevokedError);
    expect(retired).toBeInstanceOf(AuthenticationError);
    expect(retired).toMatchObject({ status: 401, code: 'key_revoked' });
    expect((await clientFor(rotated.api_key).handshake()).ai_uuid).toBe(made.ai_uuid);
    expect(await admin.revokeKey(made.ai_uuid)).toMatchObject({
      ai_uuid: made.ai_uuid,
      revoked_key_prefix: rotated.api_key_prefix,
    });

    expect(await admin.deleteAi(made.ai_uuid)).toEqual({ ai_uuid: made.ai_uuid, deleted: true });
    await expect(admin.getAi(made.ai_uuid)).rejects.toBeInstanceOf(NotFoundError);
    await admin.deleteAi(viaHandshake.ai_uuid);
  });

  it('refuses an AI key what only an administrator may do, as PermissionDeniedError', async () => {
    await expect(client.createAi('not for a key')).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it('creates, reads, lists, edits, moves and deletes memories, each change in the event log', async () => {
    const me = await client.handshake();
    expect(me).toMatchObject({ ai_uuid: ai.ai_uuid, created: false });
    expect((await client.getAi(ai.ai_uuid)).ai_uuid).toBe(ai.ai_uuid);

    const made = await client.createMemory(ai.ai_uuid, 'working_memory', 'Ada likes green tea', { topic: 'tea' });
    expect(made.memory).toMatchObject({ content: 'Ada likes green tea', metadata: { topic: 'tea' } });
    await client.createMemory(ai.ai_uuid, 'working_memory', 'Ada walks to work');
    expect((await client.getMemory(ai.ai_uuid, 'working_memory', made.memory_id)).content).toBe('Ada likes green tea');

    const byText = await client.listMemories(ai.ai_uuid, 'working_memory', { q: 'GREEN' });
    expect(byText.memories.map((m) => m.memory_id)).toEqual([made.memory_id]);
    const byMetadata = await client.listMemories(ai.ai_uuid, 'working_memory', { metadata: { topic: 'tea' } });
    expect(byMetadata.memories.map((m) => m.memory_id)).toEqual([made.memory_id]);
    const firstPage = await client.listMemories(ai.ai_uuid, 'working_memory', { limit: 1 });
    expect(firstPage.memories).toHaveLength(1);
    expect(firstPage.next_cursor).not.toBeNull();

    const edited = await client.editMemory(ai.ai_uuid, 'working_memory', made.memory_id, {
      content: 'Ada likes genmaicha',
    });
    expect(edited.memory.content).toBe('Ada likes genmaicha');
    const moved = await client.moveMemory(ai.ai_uuid, 'working_memory', made.memory_id, 'long_term_memory');
    expect(moved.memory).toMatchObject({ memory_type: 'long_term_memory', moved_from: 'working_memory' });
    const gone = await client.deleteMemory(ai.ai_uuid, 'long_term_memory', made.memory_id);
    expect(gone).toMatchObject({ memory_id: made.memory_id, memory_type: 'long_term_memory', deleted: true });

    const stats = await client.getStats(ai.ai_uuid);
    expect(stats.memory_counts).toMatchObject({ working_memory: 1, long_term_memory: 0 });
    const events = await client.listEvents(ai.ai_uuid);
    expect(events.events.map((e) => e.type)).toEqual(['created', 'created', 'updated', 'moved', 'deleted']);
    expect(events.events.at(-1)?.event_id).toBe(gone.event_id);
    const after = await client.listEvents(ai.ai_uuid, { after: moved.event_id, limit: 10 });
    expect(after.events.map((e) => e.event_id)).toEqual([gone.event_id]);
  });

  it("speaks the seed's contract through the legacy methods", async () => {
    const named = { ai_name: ai.ai_name, ai_uuid: ai.ai_uuid };
    const made = await client.legacyCreateMemory({
      ...named,
      memory_type: 'personal_logs',
      memory_data: { content: 'I filed the bee report', metadata: { kind: 'log' } },
    });
    await client.legacyEditMemory({
      ...named,
      memory_type: 'personal_logs',
      memory_id: made.memory_id,
      memory_data: 'I filed the bee report on time',
    });
    const retrieved = await client.legacyRetrieveMemories({
      ...named,
      memory_type: 'personal_logs',
      filter_query: { kind: 'log' },
    });
    expect(retrieved).toMatchObject({ count: 1, memories: [{ content: 'I filed the bee report on time' }] });
    const moved = await client.legacyMoveMemory({
      ...named,
      from_memory_type: 'personal_logs',
      to_memory_type: 'archive',
      document_id: made.memory_id,
    });
    expect(moved.memory.memory_type).toBe('archive');
    const deleted = await client.legacyDeleteMemory({ ...named, memory_type: 'archive', memory_id: made.memory_id });
    expect(deleted.deleted).toBe(true);
    const wrongName = await client
      .legacyCreateMemory({ ...named, ai_name: 'someone else', memory_type: 'archive', memory_data: 'x' })
      .catch((e: unknown) => e);
    expect(wrongName).toBeInstanceOf(APIError);
    expect((wrongName as APIError).status).toBeGreaterThanOrEqual(400);
  });

  it('searches, previews the context, and chats whole and streamed in sessions', async () => {
    const fact = await client.createMemory(ai.ai_uuid, 'long_term_memory', 'Ada keeps bees on the roof.');
    const found = await client.search(ai.ai_uuid, 'bees roof', { mode: 'keyword', limit: 5 });
    expect(found.results[0]?.memory.memory_id).toBe(fact.memory_id);

    const question = [{ role: 'user' as const, content: 'Where are the bees?' }];
    const preview = await client.previewContext(ai.ai_uuid, question);
    expect(preview.memories_used.map((m) => m.memory_id)).toContain(fact.memory_id);
    expect(preview.system).toContain('bees');

    const whole = await client.createChatCompletion({ model: 'fake-echo', messages: question });
    expect(whole.object).toBe('chat.completion');
    expect(whole.choices[0]?.message.content).toContain('[fake-llm]');
    const sessionId = whole.memory_weaver.session_id;

    const stream = await client.streamChatCompletion({
      model: 'fake-echo',
      session_id: sessionId,
      messages: [{ role: 'user', content: 'And the honey?' }],
    });
    expect(stream.sessionId).toBe(sessionId);
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]?.memory_weaver?.session_id).toBe(sessionId);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toContain('[fake-llm]');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');

    // The session's history, less the turn this request sends again itself.
    const { history } = await client.previewContext(ai.ai_uuid, question, sessionId);
    expect(history.map((h) => h.role)).toEqual(['user', 'assistant']);
    expect(history[0]?.content).toBe('And the honey?');
    const sessions = await client.listSessions(ai.ai_uuid, { limit: 10 });
    expect(sessions.sessions.map((s) => s.session_id)).toEqual([sessionId]);
    const detail = await client.getSession(ai.ai_uuid, sessionId);
    expect(detail.chats.map((c) => c.message)).toEqual(['Where are the bees?', 'And the honey?']);
    // Two turns: no summary yet (every 10 turns by default; tests/consolidation/summaries.test.ts).
    const summary = await client.getSessionSummary(ai.ai_uuid, sessionId);
    expect(summary).toMatchObject({ session_id: sessionId, memory_id: null, covers: null });
    expect((await client.getSummarySettings(ai.ai_uuid)).settings).toEqual({ enabled: true, every_turns: 10 });
    const set = await client.updateSummarySettings(ai.ai_uuid, { every_turns: 20 });
    expect(set).toMatchObject({ settings: { every_turns: 20 }, active: true, counts: { written: 0 } });
    expect(await client.deleteSession(ai.ai_uuid, sessionId)).toEqual({ session_id: sessionId, deleted: true });
    await expect(client.deleteSession(ai.ai_uuid, sessionId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('throws typed errors with the status, code and details of the error body', async () => {
    const missing = await client.getMemory(ai.ai_uuid, 'archive', 'missing').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });

    const empty = await client.createMemory(ai.ai_uuid, 'archive', '').catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(BadRequestError);
    expect(empty).toMatchObject({ status: 400, code: 'invalid_argument' });
    expect((empty as BadRequestError).details).not.toBeNull();

    // Another AI's memory is as missing as one that doesn't exist.
    const other = await newAi('SDK other');
    const theirs = await clientFor(other.api_key).createMemory(other.ai_uuid, 'archive', 'theirs');
    await expect(client.getMemory(other.ai_uuid, 'archive', theirs.memory_id)).rejects.toBeInstanceOf(NotFoundError);

    const upstream = await client
      .createChatCompletion({ model: 'fake-500', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(upstream).toBeInstanceOf(UpstreamError);
    expect(upstream).toMatchObject({ status: 502, code: 'upstream_error' });
  });

  it('throws a stream that fails after its headers as the error its event names', async () => {
    const stream = await client.streamChatCompletion({
      model: 'fake-cut',
      messages: [{ role: 'user', content: 'a long answer please' }],
    });
    const seen: string[] = [];
    const err = await (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(seen.length).toBeGreaterThan(0);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).status).toBeGreaterThanOrEqual(500);
  });

  it("lists a memory's versions and restores one", async () => {
    const made = await client.createMemory(ai.ai_uuid, 'long_term_memory', 'first words', { n: 1 });
    await client.editMemory(ai.ai_uuid, 'long_term_memory', made.memory_id, { content: 'second words' });
    const history = await client.listMemoryVersions(ai.ai_uuid, 'long_term_memory', made.memory_id);
    expect(history.versions.map((v) => v.memory.content)).toEqual(['first words']);
    const versionId = history.versions[0]?.version_id ?? '';
    const restored = await client.restoreMemoryVersion(ai.ai_uuid, 'long_term_memory', made.memory_id, versionId);
    expect(restored.memory).toMatchObject({ content: 'first words', metadata: { n: 1 } });
  });

  it('drives extraction: settings, observe, a failed job retried, the review queue and hygiene', async () => {
    const learner = await newAi('SDK extraction');
    const sdk = clientFor(learner.api_key);
    // The model stand-in's extraction answers for this AI: two facts, and one failure first.
    const scripted = await fetch(`${FAKE_LLM_URL}/__extraction/script`, {
      method: 'POST',
      body: JSON.stringify({
        user: learner.ai_uuid,
        facts: [
          { when: 'my name is (\\w+)', content: "The user's name is $1.", kind: 'identity', subject: 'name' },
          { when: "I'm a (teacher|nurse)", content: 'The user works as a $1.', kind: 'role', subject: 'job' },
        ],
        fail: { stage: 'facts', kind: '500', times: 1 },
      }),
    });
    expect(scripted.status).toBe(204);

    expect((await sdk.getExtractionStatus(learner.ai_uuid)).settings).toMatchObject({ enabled: false, review: false });
    const set = await sdk.updateExtractionSettings(learner.ai_uuid, { enabled: true, review: true });
    expect(set.settings).toMatchObject({ enabled: true, review: true });

    const accepted = await sdk.observe(learner.ai_uuid, {
      messages: [{ role: 'user', content: "my name is Mary and I'm a teacher" }],
    });
    const jobStatus = async () => (await sdk.getExtraction(learner.ai_uuid, accepted.extraction_id)).status;
    await expect.poll(jobStatus, { timeout: 30_000, interval: 150 }).toBe('failed');
    const listed = await sdk.listExtractions(learner.ai_uuid, { limit: 10 });
    expect(listed.extractions.map((j) => j.extraction_id)).toEqual([accepted.extraction_id]);
    await sdk.retryExtraction(learner.ai_uuid, accepted.extraction_id);
    await expect.poll(jobStatus, { timeout: 30_000, interval: 150 }).toBe('done');

    const { items } = await sdk.listReview(learner.ai_uuid);
    expect(items.map((i) => i.content).sort()).toEqual(['The user works as a teacher.', "The user's name is Mary."]);
    const hygiene = await sdk.getHygiene(learner.ai_uuid, { days: 7 });
    expect(hygiene.awaiting_review).toBe(2);
    expect(hygiene.days.length).toBeGreaterThanOrEqual(7);
    const name = items.find((i) => i.content.includes('Mary'))?.review_id ?? '';
    const role = items.find((i) => i.content.includes('teacher'))?.review_id ?? '';
    expect(await sdk.approveReview(learner.ai_uuid, name)).toMatchObject({ outcome: 'approved' });
    expect(await sdk.rejectReview(learner.ai_uuid, role)).toMatchObject({ outcome: 'rejected', memory_id: null });
    await expect(sdk.approveReview(learner.ai_uuid, name)).rejects.toBeInstanceOf(NotFoundError);
    const stored = await sdk.listMemories(learner.ai_uuid, 'long_term_memory');
    expect(stored.memories.map((m) => m.content)).toEqual(["The user's name is Mary."]);

    expect((await sdk.getHygiene(learner.ai_uuid)).awaiting_review).toBe(0);
  }, 90_000);

  it('exports an AI as a .brain bundle, encrypted or not, and imports it into a new AI and back', async () => {
    const source = await newAi('SDK brain');
    const sdk = clientFor(source.api_key);
    await sdk.createMemory(source.ai_uuid, 'long_term_memory', 'The hive has three boxes.', { apiary: 'roof' });
    const bundle = await sdk.exportBrain(source.ai_uuid, { include: ['events'] });
    expect(bundle.split('\n').filter(Boolean).length).toBeGreaterThan(1);
    const sealed = await sdk.exportBrain(source.ai_uuid, { passphrase: 'correct horse battery staple' });
    expect(sealed).not.toContain('three boxes');

    const copy = await admin.importBrain(sealed, {
      passphrase: 'correct horse battery staple',
      ai_name: `${source.ai_name} copy`,
    });
    expect(copy).toMatchObject({ ai_name: `${source.ai_name} copy`, dry_run: false, counts: { added: 1 } });
    const copied = await admin.listMemories(copy.ai_uuid ?? '', 'long_term_memory');
    expect(copied.memories.map((m) => m.content)).toEqual(['The hive has three boxes.']);

    const plan = await sdk.importIntoAi(source.ai_uuid, bundle, { mode: 'dry_run' });
    expect(plan).toMatchObject({ dry_run: true, counts: { added: 0 } });
    const wrong = await admin.importBrain(sealed, { passphrase: 'not the passphrase at all' }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(APIError);
    expect((wrong as APIError).status).toBe(400);
  });

  it('undoes one decision of an extraction', async () => {
    const learner = await newAi('SDK undo');
    const sdk = clientFor(learner.api_key);
    const scripted = await fetch(`${FAKE_LLM_URL}/__extraction/script`, {
      method: 'POST',
      body: JSON.stringify({
        user: learner.ai_uuid,
        facts: [{ when: 'my name is (\\w+)', content: "The user's name is $1.", kind: 'identity', subject: 'name' }],
      }),
    });
    expect(scripted.status).toBe(204);
    await sdk.updateExtractionSettings(learner.ai_uuid, { enabled: true });
    const { extraction_id } = await sdk.observe(learner.ai_uuid, {
      messages: [{ role: 'user', content: 'my name is Ada' }],
    });
    await expect
      .poll(async () => (await sdk.getExtraction(learner.ai_uuid, extraction_id)).status, {
        timeout: 30_000,
        interval: 150,
      })
      .toBe('done');
    expect((await sdk.listMemories(learner.ai_uuid, 'long_term_memory')).memories).toHaveLength(1);
    const undone = await sdk.undoExtractionDecision(learner.ai_uuid, extraction_id, 0);
    expect(undone.decision).toBe('added');
    expect((await sdk.listMemories(learner.ai_uuid, 'long_term_memory')).memories).toEqual([]);
    const again = await sdk.undoExtractionDecision(learner.ai_uuid, extraction_id, 0).catch((e: unknown) => e);
    expect(again).toMatchObject({ status: 409 });
  }, 60_000);

  it('consolidates: settings, a dry run executed as planned, the runs, and an undo', async () => {
    const tidy = await newAi('SDK consolidation');
    const sdk = clientFor(tidy.api_key);
    const old = await sdk.createMemory(tidy.ai_uuid, 'working_memory', 'yesterday the bees swarmed');
    expect((await sdk.getConsolidationSettings(tidy.ai_uuid)).working_memory_max_age_hours).toBeGreaterThan(0);
    // 0 hours: every working-memory entry is old enough to archive.
    const set = await sdk.updateConsolidationSettings(tidy.ai_uuid, { working_memory_max_age_hours: 0 });
    expect(set.working_memory_max_age_hours).toBe(0);

    const plan = await sdk.consolidate(tidy.ai_uuid, { dry_run: true });
    expect(plan).toMatchObject({ status: 'planned', dry_run: true });
    expect(plan.actions.map((a) => [a.memory_id, a.to_memory_type])).toEqual([[old.memory_id, 'archive']]);
    const run = await sdk.consolidate(tidy.ai_uuid, { run_id: plan.run_id });
    expect(run.counts.moved).toBe(1);
    expect((await sdk.getConsolidation(tidy.ai_uuid, plan.run_id)).status).toBe(run.status);
    expect((await sdk.listConsolidations(tidy.ai_uuid, { limit: 5 })).runs.map((r) => r.run_id)).toContain(plan.run_id);
    expect((await sdk.getMemory(tidy.ai_uuid, 'archive', old.memory_id)).content).toBe('yesterday the bees swarmed');

    // A memory that is not one of the run's proposals is answered as skipped, not archived.
    const accepted = await sdk.acceptConsolidationProposals(tidy.ai_uuid, plan.run_id, [old.memory_id]);
    expect(accepted).toEqual({
      run_id: plan.run_id,
      accepted: [],
      skipped: [{ memory_id: old.memory_id, reason: 'not_proposed' }],
    });
    const undone = await sdk.undoConsolidation(tidy.ai_uuid, plan.run_id);
    expect(undone.restored).toEqual([old.memory_id]);
    expect((await sdk.getMemory(tidy.ai_uuid, 'working_memory', old.memory_id)).memory_type).toBe('working_memory');
  });

  it('has a method for every route of the protocol, each answered with a 2xx above', () => {
    const missed = ROUTES.map(routeKey).filter((k) => !answered.has(k));
    expect(missed).toEqual([]);
  });
});
