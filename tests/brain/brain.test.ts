/**
 * `.brain` export and import (functions/src/brain/README.md) against the emulator stack: a round
 * trip of the streamed format /2 gives the same records and the same search answers, exports are
 * deterministic, each import mode's dry run reports what its run then does, an import's progress
 * is on the event stream in order, every broken bundle is refused before anything is written,
 * format /1 bundles still import, another AI's key is refused, mem0 and Letta files land in the
 * expected tiers, and a retry doubles nothing.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CompactEncrypt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { MEMORY_CHANGE_TYPES } from '@memory-weaver/protocol';
import { aiRef, eventsRef } from '@memory-weaver/core';
import { adminIdToken, db } from '../support/emulators.js';
import { call, expectError, expectStatus, newAi, type AiSession, type Json, type Reply } from '../support/http.js';

const PASS = 'correct horse battery staple';
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

let admin = '';

async function exportText(aiUuid: string, token: string, opts: { include?: string; passphrase?: string } = {}) {
  const q = opts.include ? `?include=${opts.include}` : '';
  const reply = await call('GET', `/v1/ais/${aiUuid}/export${q}`, {
    token,
    contract: false, // the bundle is NDJSON or a JWE, not JSON (the error envelope is checked by expectError)
    ...(opts.passphrase ? { headers: { 'x-brain-passphrase': opts.passphrase } } : {}),
  });
  expectStatus(reply, 200);
  return reply.text;
}

function importFile(
  text: string,
  opts: { into?: string; mode?: string; dryRun?: boolean; source?: string; passphrase?: string; token?: string } = {},
): Promise<Reply> {
  const params = new URLSearchParams();
  if (opts.mode) params.set('mode', opts.mode);
  if (opts.dryRun) params.set('dry_run', 'true');
  if (opts.source) params.set('source', opts.source);
  const path = `/v1/ais/${opts.into ? `${opts.into}/` : ''}import${params.size ? `?${params.toString()}` : ''}`;
  return call('POST', path, {
    token: opts.token ?? admin,
    rawBody: text,
    headers: {
      'content-type': opts.source && opts.source !== 'brain' ? 'application/json' : 'application/x-ndjson',
      ...(opts.passphrase ? { 'x-brain-passphrase': opts.passphrase } : {}),
    },
  });
}

const lines = (bundle: string) => bundle.trimEnd().split('\n');
/** The record lines: between the header (first) and the trailer (last). */
const records = (bundle: string) => lines(bundle).slice(1, -1);
/** The records without the memories' version histories. */
const contents = (bundle: string) =>
  records(bundle)
    .map((l) => JSON.parse(l))
    .map((r) => (r.type === 'memory' ? { ...r, versions: undefined } : r));
const headerOf = (bundle: string) => JSON.parse(lines(bundle)[0] ?? '');
const trailerOf = (bundle: string) => JSON.parse(lines(bundle).at(-1) ?? '');
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

async function memory(ai: AiSession, tier: string, content: string): Promise<string> {
  const reply = await call('POST', `/v1/ais/${ai.ai_uuid}/memories/${tier}`, { token: ai.api_key, body: { content } });
  expectStatus(reply, 201);
  return String(reply.body.memory_id);
}

async function tierIds(aiUuid: string, tier: string): Promise<string[]> {
  const reply = await call('GET', `/v1/ais/${aiUuid}/memories/${tier}?limit=100`, { token: admin });
  expectStatus(reply, 200);
  return (reply.body.memories as { memory_id: string }[]).map((m) => m.memory_id).sort();
}

const eventCount = async (aiUuid: string) => (await eventsRef(db, aiUuid).count().get()).data().count;
/** Events that changed a memory (an import's progress events change none). */
const changeCount = async (aiUuid: string) =>
  (
    await eventsRef(db, aiUuid)
      .where('type', 'in', [...MEMORY_CHANGE_TYPES])
      .count()
      .get()
  ).data().count;

/** A source AI with a memory in each tier, an edit (a version), a move and a chat session. */
let source: AiSession;
let ids: Record<string, string> = {};
let bundle = '';

beforeAll(async () => {
  admin = await adminIdToken();
  source = await newAi('brain-source');
  ids = {
    working: await memory(source, 'working_memory', 'drafting the grant text'),
    long: await memory(source, 'long_term_memory', 'Alice prefers green tea'),
    personal: await memory(source, 'personal_logs', 'I learned to cite sources'),
    archive: await memory(source, 'archive', 'the 2023 trip to Porto'),
  };
  const edit = await call('PATCH', `/v1/ais/${source.ai_uuid}/memories/long_term_memory/${ids.long}`, {
    token: source.api_key,
    body: { content: 'Alice prefers green tea, no sugar', metadata: { topic: 'food' } },
  });
  expectStatus(edit, 200);
  const move = await call('POST', `/v1/ais/${source.ai_uuid}/memories/working_memory/${ids.working}/move`, {
    token: source.api_key,
    body: { to_memory_type: 'archive' },
  });
  expectStatus(move, 200);
  const chat = await call('POST', '/v1/chat/completions', {
    token: source.api_key,
    body: { messages: [{ role: 'user', content: 'what tea does Alice like?' }] },
  });
  expectStatus(chat, 200);
  bundle = await exportText(source.ai_uuid, admin);
});

describe('export', () => {
  it('writes the header first, then every memory with its versions and the sessions with their turns, then the trailer', () => {
    const header = headerOf(bundle);
    expect(header).toMatchObject({ type: 'header', format: 'memory-weaver.brain/2' });
    expect(header.ai.ai_name).toBe('brain-source');
    const trailer = trailerOf(bundle);
    expect(trailer.type).toBe('trailer');
    // The chat exchange left one more in working memory.
    expect(trailer.counts.memories).toEqual({ working_memory: 1, long_term_memory: 1, personal_logs: 1, archive: 2 });
    expect(trailer.counts.sessions).toBe(1);
    expect(records(bundle)).toHaveLength(trailer.records);
    // The trailer's digest covers the header and every record line.
    expect(trailer.sha256).toBe(sha256(bundle.slice(0, bundle.trimEnd().lastIndexOf('\n') + 1)));
    const long = records(bundle)
      .map((l) => JSON.parse(l))
      .find((r) => r.type === 'memory' && r.memory.memory_id === ids.long);
    expect(long.versions).toHaveLength(1);
    expect(long.versions[0].memory.content).toBe('Alice prefers green tea');
  });

  it('is deterministic: the same AI exported twice gives the same bytes', async () => {
    expect(await exportText(source.ai_uuid, admin)).toBe(bundle);
    expect(await exportText(source.ai_uuid, source.api_key)).toBe(await exportText(source.ai_uuid, source.api_key));
  });

  it("refuses another AI's key, and a passphrase too short", async () => {
    const other = await newAi('brain-other');
    expectError(await call('GET', `/v1/ais/${source.ai_uuid}/export`, { token: other.api_key }), 404, 'not_found');
    expectError(
      await call('GET', `/v1/ais/${source.ai_uuid}/export`, {
        token: admin,
        headers: { 'x-brain-passphrase': 'short' },
      }),
      400,
      'invalid_argument',
    );
    expectError(
      await call('GET', `/v1/ais/${source.ai_uuid}/export?include=secrets`, { token: admin }),
      400,
      'invalid_argument',
    );
    expectError(await importFile(bundle, { into: source.ai_uuid, token: other.api_key }), 404, 'not_found');
    expectError(await importFile(bundle, { token: other.api_key }), 403, 'permission_denied');
  });
});

describe('round trip', () => {
  it('export, import into a new AI, export again: the same records', async () => {
    const reply = await importFile(bundle);
    expectStatus(reply, 201);
    expect(reply.body.counts.added).toBe(6); // five memories and a session
    const copy = String(reply.body.ai_uuid);
    expect(reply.body.api_key).toMatch(/^mwk_/);
    const again = await exportText(copy, admin);
    expect(records(again)).toEqual(records(bundle));
    expect(headerOf(again).ai).toEqual(headerOf(bundle).ai);
    // Same header, same records: the very same bytes, trailer and its digest included.
    expect(again).toBe(bundle);
    // The import's writes are numbered changes by the import service.
    const events = await call('GET', `/v1/ais/${copy}/events`, { token: admin });
    expectStatus(events, 200);
    const changes = (events.body.events as Json[]).filter((e) => e.memory_id !== null);
    expect(changes).toHaveLength(5);
    expect(changes.every((e) => e.actor.kind === 'import')).toBe(true);
  });

  it("puts the import's progress on the AI's event stream, in order, with no memory", async () => {
    const reply = await importFile(bundle);
    expectStatus(reply, 201);
    const copy = String(reply.body.ai_uuid);
    const events = await call('GET', `/v1/ais/${copy}/events`, { token: admin });
    expectStatus(events, 200);
    const progress = (events.body.events as Json[]).filter((e) => String(e.type).startsWith('import_'));
    // Six items (five memories and a session): a progress event per item crossing each tenth, but the last.
    expect(progress.map((e) => e.type)).toEqual([
      'import_started',
      ...Array.from({ length: 5 }, () => 'import_progress'),
      'import_finished',
    ]);
    expect(progress.map((e) => e.import.done)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const e of progress) {
      expect(e).toMatchObject({ memory_id: null, memory_type: null, memory: null, actor: { kind: 'import' } });
      expect(e.import).toMatchObject({ import_id: progress[0].import.import_id, total: 6 });
    }
    expect(progress.at(-1).import.counts).toEqual({ added: 6, changed: 0, deleted: 0, skipped: 0 });
    // Started before the first write, finished after the last: the log's numbers say so.
    const all = events.body.events as Json[];
    const seqOf = (type: string) => all.filter((e) => e.type === type).map((e) => e.seq as number);
    expect(Math.max(...seqOf('created'))).toBeLessThan(seqOf('import_finished')[0] as number);
    expect(Math.min(...seqOf('created'))).toBeGreaterThan(seqOf('import_started')[0] as number);
  });

  it('search over the imported AI answers as over the original', async () => {
    const reply = await importFile(bundle);
    expectStatus(reply, 201);
    const copy = String(reply.body.ai_uuid);
    const hits = async (aiUuid: string, query: string) => {
      const r = await call('POST', `/v1/ais/${aiUuid}/search`, { token: admin, body: { query } });
      expectStatus(r, 200);
      return (r.body.results as Json[]).map((h) => [h.memory.memory_id, h.memory.content]);
    };
    for (const query of ['tea', 'what does Alice drink?', 'Porto trip']) {
      const original = await hits(source.ai_uuid, query);
      expect(original.length).toBeGreaterThan(0);
      expect(await hits(copy, query)).toEqual(original);
    }
  });

  it('with a passphrase: a JWE that only the passphrase opens', async () => {
    const sealed = await exportText(source.ai_uuid, admin, { passphrase: PASS });
    // JWE lines: the stream key under the passphrase, then the bundle's chunk(s).
    expect(lines(sealed).length).toBeGreaterThanOrEqual(2);
    for (const line of lines(sealed)) expect(line.split('.')).toHaveLength(5);
    expect(sealed).not.toContain('green tea');
    const wrong = await importFile(sealed, { passphrase: 'not the passphrase' });
    expectError(wrong, 400, 'invalid_argument');
    expect(wrong.body.error.details.reason).toBe('decryption_failed');
    expect(wrong.text).not.toContain('not the passphrase');
    const none = await importFile(sealed);
    expectError(none, 400, 'invalid_argument');
    expect(none.body.error.details.reason).toBe('passphrase_required');
    const chunk = lines(sealed)[1] as string;
    const parts = chunk.split('.');
    const flipped = parts[3] as string;
    parts[3] = (flipped.startsWith('A') ? 'B' : 'A') + flipped.slice(1);
    const tampered = await importFile(sealed.replace(chunk, parts.join('.')), { passphrase: PASS });
    expect(tampered.body.error.details.reason).toBe('decryption_failed');
    const cut = await importFile(`${lines(sealed).slice(0, -1).join('\n')}\n`, { passphrase: PASS });
    expectError(cut, 400, 'invalid_argument');
    expect(['truncated', 'decryption_failed']).toContain(cut.body.error.details.reason);
    const ok = await importFile(sealed, { passphrase: PASS });
    expectStatus(ok, 201);
    expect(records(await exportText(String(ok.body.ai_uuid), admin))).toEqual(records(bundle));
  });
});

describe('a broken bundle is refused before anything is written', () => {
  /** AIs an import of the bundle would make are named after it; other test files make none of that name. */
  const before = async () =>
    (await aiRef(db, 'x').parent.where('name', '==', 'brain-source').count().get()).data().count;

  it.each([
    ['tampered', () => bundle.replace('green tea, no sugar', 'green tea, two sugars'), 'digest_mismatch'],
    ['truncated', () => bundle.slice(0, Math.floor(bundle.length * 0.7)), 'truncated'],
    ['truncated to the header', () => bundle.split('\n')[0] as string, 'truncated'],
    ['without its trailer', () => `${lines(bundle).slice(0, -1).join('\n')}\n`, 'truncated'],
    [
      'with its header altered',
      () => bundle.replace('"ai_name":"brain-source"', '"ai_name":"brain-forged"'),
      'digest_mismatch',
    ],
    [
      'of an unknown version',
      () => bundle.replace('"memory-weaver.brain/2"', '"memory-weaver.brain/9"'),
      'unsupported_format',
    ],
    ['not a bundle', () => 'hello', 'not_a_bundle'],
  ])('%s', async (_name, make, reason) => {
    const target = await newAi('brain-untouched');
    const seq = await eventCount(target.ai_uuid);
    const reply = await importFile(make(), { into: target.ai_uuid, mode: 'overwrite' });
    expectError(reply, 400, 'invalid_argument');
    expect(reply.body.error.details.reason).toBe(reason);
    expect(await eventCount(target.ai_uuid)).toBe(seq);
    const listed = await before();
    expectError(await importFile(make()), 400, 'invalid_argument');
    expect(await before()).toBe(listed);
  });
});

describe('modes', () => {
  /** A copy of the source, then changed: one memory edited, one deleted, one new. */
  async function changedCopy() {
    const reply = await importFile(bundle);
    expectStatus(reply, 201);
    const ai = { ...(reply.body as { ai_uuid: string; api_key: string }), ai_name: 'brain-source' } as AiSession;
    const edit = await call('PATCH', `/v1/ais/${ai.ai_uuid}/memories/long_term_memory/${ids.long}`, {
      token: ai.api_key,
      body: { content: 'Alice now drinks coffee' },
    });
    expectStatus(edit, 200);
    expectStatus(
      await call('DELETE', `/v1/ais/${ai.ai_uuid}/memories/personal_logs/${ids.personal}`, { token: ai.api_key }),
      200,
    );
    const fresh = await memory(ai, 'long_term_memory', 'a memory the bundle never had');
    return { ai, fresh };
  }
  const strip = (body: Record<string, unknown>) => ({ ...body, dry_run: undefined });

  it.each([
    ['merge', { added: ['personal'], changed: ['long'], deleted: [] as string[] }],
    ['skip_existing', { added: ['personal'], changed: [] as string[], deleted: [] as string[] }],
    ['overwrite', { added: ['personal'], changed: ['long'], deleted: ['fresh'] }],
  ])('%s: the dry run reports exactly what the run then does, and a second run does nothing', async (mode, want) => {
    const { ai, fresh } = await changedCopy();
    const seq = await eventCount(ai.ai_uuid);
    const changesBefore = await changeCount(ai.ai_uuid);
    const dry = await importFile(bundle, { into: ai.ai_uuid, mode, dryRun: true });
    expectStatus(dry, 200);
    expect(dry.body.dry_run).toBe(true);
    expect(await eventCount(ai.ai_uuid)).toBe(seq);
    const memoryIds = (items: { kind: string; id: string }[]) =>
      items.filter((i) => i.kind === 'memory').map((i) => i.id);
    // The table names memories by role: their ids exist only once beforeAll has run.
    const idOf = (name: string) => (name === 'fresh' ? fresh : ids[name]);
    expect(memoryIds(dry.body.added)).toEqual(want.added.map(idOf));
    expect(memoryIds(dry.body.changed)).toEqual(want.changed.map(idOf));
    expect(memoryIds(dry.body.deleted)).toEqual(want.deleted.map(idOf));
    const run = await importFile(bundle, { into: ai.ai_uuid, mode });
    expectStatus(run, 200);
    expect(strip(run.body)).toEqual(strip(dry.body));
    const changes = want.added.length + want.changed.length + want.deleted.length;
    expect(await changeCount(ai.ai_uuid)).toBe(changesBefore + changes);
    const afterRun = await eventCount(ai.ai_uuid);
    if (mode !== 'skip_existing') {
      const again = await importFile(bundle, { into: ai.ai_uuid, mode });
      expect(again.body.counts).toMatchObject({ added: 0, changed: 0, deleted: 0 });
      // Nothing to do: no change and no progress event either.
      expect(await eventCount(ai.ai_uuid)).toBe(afterRun);
    }
    // The AI is now the bundle (its own history of the edits it had made stays with the memories).
    if (mode === 'overwrite') expect(contents(await exportText(ai.ai_uuid, admin))).toEqual(contents(bundle));
    if (mode === 'merge') expect(await tierIds(ai.ai_uuid, 'long_term_memory')).toContain(fresh);
  });

  it('mode=dry_run plans a merge and writes nothing', async () => {
    const { ai } = await changedCopy();
    const seq = await eventCount(ai.ai_uuid);
    const reply = await importFile(bundle, { into: ai.ai_uuid, mode: 'dry_run' });
    expectStatus(reply, 200);
    expect(reply.body).toMatchObject({ mode: 'merge', dry_run: true });
    expect(await eventCount(ai.ai_uuid)).toBe(seq);
  });
});

describe('retry after a failure half-way', () => {
  it('completes what is missing and doubles nothing', async () => {
    const first = await importFile(bundle);
    expectStatus(first, 201);
    const copy = String(first.body.ai_uuid);
    // What an import cut short leaves: some memories written, some not.
    expectStatus(await call('DELETE', `/v1/ais/${copy}/memories/archive/${ids.archive}`, { token: admin }), 200);
    expectStatus(await call('DELETE', `/v1/ais/${copy}/memories/personal_logs/${ids.personal}`, { token: admin }), 200);
    const retry = await importFile(bundle, { into: copy, mode: 'merge' });
    expectStatus(retry, 200);
    expect(retry.body.added.map((i: { id: string }) => i.id).sort()).toEqual([ids.archive, ids.personal].sort());
    const twice = await importFile(bundle, { into: copy, mode: 'merge' });
    expect(twice.body.counts).toMatchObject({ added: 0, changed: 0, deleted: 0 });
    expect(records(await exportText(copy, admin))).toEqual(records(bundle));
  });
});

describe('vectors', () => {
  it('are carried with the same embedding model and dropped with another', async () => {
    const search = await call('POST', `/v1/ais/${source.ai_uuid}/search`, {
      token: source.api_key,
      body: { query: 'tea' },
    });
    expectStatus(search, 200);
    // The index stores the vectors it makes; wait until they are there.
    let withVectors = '';
    for (let i = 0; i < 50; i++) {
      withVectors = await exportText(source.ai_uuid, admin, { include: 'vectors,events' });
      if (trailerOf(withVectors).counts.vectors === 4) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const trailer = trailerOf(withVectors);
    expect(trailer.counts.vectors).toBeGreaterThan(0);
    expect(trailer.counts.events).toBeGreaterThan(0);
    const same = await importFile(withVectors);
    expectStatus(same, 201);
    expect(same.body.added.filter((i: { kind: string }) => i.kind === 'vector')).toHaveLength(trailer.counts.vectors);
    // A bundle from a server with another embedder: its header names that model (and its trailer's digest covers it).
    const header = headerOf(withVectors);
    const otherHead = JSON.stringify({ ...header, embedding: { ...header.embedding, model: 'another-embedder' } });
    const signed = [otherHead, ...records(withVectors)].map((l) => `${l}\n`).join('');
    const other = `${signed}${JSON.stringify({ ...trailer, sha256: sha256(signed) })}\n`;
    const dropped = await importFile(other);
    expectStatus(dropped, 201);
    const skipped = dropped.body.skipped.filter((i: { kind: string }) => i.kind === 'vector');
    expect(skipped).toHaveLength(trailer.counts.vectors);
    expect(skipped[0].reason).toBe('other_embedding_model');
  });
});

describe('format /1 (manifest first), as earlier exports wrote it', () => {
  /** The /1 layout (README): the manifest with every record line's SHA-256, then the record lines. */
  function asV1(v2: string): string {
    const body = records(v2);
    const header = headerOf(v2);
    const manifest = {
      type: 'manifest',
      format: 'memory-weaver.brain/1',
      ai: header.ai,
      embedding: header.embedding,
      include: header.include,
      counts: trailerOf(v2).counts,
      records: body.length,
      digests: body.map(sha256),
      sha256: sha256(body.map((l) => `${l}\n`).join('')),
    };
    return `${JSON.stringify(manifest)}\n${body.map((l) => `${l}\n`).join('')}`;
  }

  it('imports a /1 bundle into a new AI, which then exports the same records as /2', async () => {
    const reply = await importFile(asV1(bundle));
    expectStatus(reply, 201);
    expect(reply.body.counts.added).toBe(6);
    expect(records(await exportText(String(reply.body.ai_uuid), admin))).toEqual(records(bundle));
  });

  it('imports a /1 bundle sealed as one JWE, and still refuses a /1 bundle altered', async () => {
    const jwe = await new CompactEncrypt(new TextEncoder().encode(asV1(bundle)))
      .setProtectedHeader({
        alg: 'PBES2-HS512+A256KW',
        enc: 'A256GCM',
        typ: 'memory-weaver.brain/1',
        cty: 'application/x-ndjson',
      })
      .setKeyManagementParameters({ p2c: 210_000 })
      .encrypt(new TextEncoder().encode(PASS));
    const reply = await importFile(jwe, { passphrase: PASS });
    expectStatus(reply, 201);
    expect(records(await exportText(String(reply.body.ai_uuid), admin))).toEqual(records(bundle));
    const altered = await importFile(asV1(bundle).replace('green tea, no sugar', 'green tea, two sugars'));
    expectError(altered, 400, 'invalid_argument');
    expect(altered.body.error.details).toMatchObject({ reason: 'digest_mismatch' });
  });
});

describe('other systems', () => {
  it('imports a mem0 get_all dump into long-term memory, with its metadata, once', async () => {
    const dump = fixture('mem0-get-all.json');
    const reply = await importFile(dump, { source: 'mem0' });
    expectStatus(reply, 201);
    const ai = String(reply.body.ai_uuid);
    const listed = await call('GET', `/v1/ais/${ai}/memories/long_term_memory`, { token: admin });
    const memories = listed.body.memories as {
      content: string;
      metadata: Json;
      created_by: { kind: string };
    }[];
    expect(memories.map((m) => m.content).sort()).toEqual(['Lives in Lisbon', 'Prefers green tea over coffee']);
    const tea = memories.find((m) => m.content.includes('tea'));
    expect(tea?.metadata).toMatchObject({ source: 'chat', mem0: { user_id: 'alice', categories: ['food'] } });
    expect(tea?.created_by.kind).toBe('import');
    const again = await importFile(dump, { source: 'mem0', into: ai });
    expect(again.body.counts).toMatchObject({ added: 0, changed: 0, skipped: 2 });
  });

  it('imports a Letta agent file: persona to personal logs, other blocks to long-term memory, passages to the archive', async () => {
    const reply = await importFile(fixture('letta-agent.af'), { source: 'letta' });
    expectStatus(reply, 201);
    expect(reply.body.ai_name).toBe('letta-helper');
    const ai = String(reply.body.ai_uuid);
    const contents = async (tier: string) =>
      ((await call('GET', `/v1/ais/${ai}/memories/${tier}`, { token: admin })).body.memories as { content: string }[])
        .map((m) => m.content)
        .sort();
    expect(await contents('personal_logs')).toEqual(['I am a patient research assistant.']);
    expect(await contents('long_term_memory')).toEqual(['The user is Alice, an ecologist.']);
    expect(await contents('archive')).toEqual([
      "Alice's project is a bird-song classifier",
      'Met Alice at the 2024 conference in Porto',
    ]);
  });

  it('refuses a file that is not what its source says', async () => {
    const reply = await importFile('{"agents": []}', { source: 'letta' });
    expectError(reply, 400, 'invalid_argument');
    expect(reply.body.error.details.reason).toBe('not_a_letta_file');
  });
});
