/**
 * Defects the fuzz tier found and that are fixed: each stays as the exact input that showed it,
 * so it can't come back unnoticed (foundDefects.ts says what each was and where it was fixed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminIdToken } from '../support/emulators.js';
import { connect, connected, request, startRelay, type RelayProcess } from '../support/relay.js';
import { defectApp, defect, json, get, cursor } from './defectCases.js';

const subject = defectApp('fixed defects');
let admin: string;
beforeAll(async () => {
  admin = await adminIdToken();
});

describe('defects the fuzz tier found, now fixed', () => {
  // Found by http-app.test.ts, seed 20261146 (POST /v1/ais/{ai_uuid}/context), shrunk to this.
  it('answers a body with Content-Encoding: gzip that does not inflate with a 4xx, not a 500', async () => {
    const req = json(
      'POST',
      `/v1/ais/${subject.ai.uuid}/context`,
      subject.ai.key,
      { messages: [{ role: 'user', content: '!' }] },
      [['content-encoding', 'gzip']],
    );
    await subject.expectProperties(req, defect('content-encoding'));
  });

  // Found by http-app.test.ts (DELETE /v1/ais/{ai_uuid}/api-key with the path segment "%Z", and others).
  it.each([
    '/v1/ais/%ZZ',
    '/v1/ais/%Z/api-key',
    '/v1/ais/{ai}/memories/%ED%A0%80',
    '/v1/ais/{ai}/memories/archive/%E0%A4',
  ])('answers the path %s (an escape that is not UTF-8) with a 4xx, not a 500', async (path) => {
    await subject.expectProperties(get(path.replace('{ai}', subject.ai.uuid), subject.ai.key), defect('path-escape'));
  });

  // This and the tests below up to the relay's were found by hand, by sending the classes of input
  // mutations.ts generates straight at the code that reads them; the fixed seeds did not reach them.
  // A reserved cursor id (`__x__`) fails the same way, after ~7 s (Firestore refuses it server-side).
  it('refuses a page cursor whose id has a "/" with a 400, not a 500', async () => {
    await subject.expectProperties(
      get(`/v1/ais/${subject.ai.uuid}/memories/archive?cursor=${cursor('a/b')}`, subject.ai.key),
      defect('cursor-id'),
    );
  });

  it.each(['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-23:59'])(
    'refuses created_after=%s (outside what Firestore can hold) with a 400, not a 500',
    async (date) => {
      await subject.expectProperties(
        get(`/v1/ais/${subject.ai.uuid}/memories/archive?created_after=${encodeURIComponent(date)}`, subject.ai.key),
        defect('date-range'),
      );
    },
  );

  // Found by http-app.test.ts (POST /v1/ais with ai_name "\ud800"; create_memory with a lone surrogate in content).
  it('refuses a lone surrogate in an AI name with a 400, not a 500', async () => {
    await subject.expectProperties(json('POST', '/v1/ais', admin, { ai_name: '\ud800' }), defect('lone-surrogate'));
  });

  it.each([
    ['content', 'a\ud800b'],
    ['a metadata key', { content: 'x', metadata: { '\udc00': 1 } }],
    ['a metadata value', { content: 'x', metadata: { a: ['\ud83d'] } }],
  ])("refuses a lone surrogate in a memory's %s with a 400, not a 500 after 8 s", async (_where, memoryData) => {
    const body = {
      ai_name: subject.ai.name,
      ai_uuid: subject.ai.uuid,
      memory_type: 'archive',
      memory_data: memoryData,
    };
    await subject.expectProperties(json('POST', '/create_memory', subject.ai.key, body), defect('lone-surrogate'));
  });

  // Found by hand, by sending the classes of input mutations.ts generates straight at the code.
  it('refuses metadata nested 100,000 deep with a 4xx, not a 500', async () => {
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
    const body = `{"ai_name":${JSON.stringify(subject.ai.name)},"ai_uuid":"${subject.ai.uuid}","memory_type":"archive","memory_data":{"content":"x","metadata":{"a":${deep}}}}`;
    await subject.expectProperties(json('POST', '/create_memory', subject.ai.key, body), defect('deep-json'));
  });

  it('refuses a body nested 100,000 deep with an Idempotency-Key with a 4xx, not a 500', async () => {
    const body = `{"x":${'['.repeat(100_000)}1${']'.repeat(100_000)}}`;
    await subject.expectProperties(
      json('POST', '/create_memory', subject.ai.key, body, [['idempotency-key', 'deep-1']]),
      defect('deep-json'),
    );
  });
});

describe('defects of the relay the fuzz tier found, now fixed', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await startRelay();
  });
  afterAll(() => relay.stop());

  // Found by socket.test.ts: a message with a key "\ud800" logged "2 UNKNOWN: Application error processing RPC".
  it.each([
    { '\ud800': 1 },
    { '': 1 },
    { __x__: 1 },
    { a: [[1]] },
    { a: 'x\udc00' },
    { deep: JSON.parse(`${'['.repeat(500)}1${']'.repeat(500)}`) as unknown },
  ])("refuses a message Firestore can't store (%#) with invalid_argument, not internal", async (extra) => {
    const socket = connect(relay.url, { api_key: subject.ai.key });
    try {
      await connected(socket);
      const ack = await request(socket, 'message', { ai_uuid: subject.ai.uuid, ...extra });
      expect(ack, defect('relay-message-unstorable')).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    } finally {
      socket.close();
    }
  });

  // Found by socket.test.ts: a heartbeat emitted with an ack and no payload timed out.
  it('acknowledges an event emitted with only an ack callback', async () => {
    const socket = connect(relay.url, { api_key: subject.ai.key });
    try {
      await connected(socket);
      const ack = await (socket.timeout(3_000) as unknown as { emitWithAck(e: string): Promise<unknown> })
        .emitWithAck('heartbeat')
        .catch((err: unknown) => ({ noAck: String(err) }));
      expect(ack, defect('relay-ack-without-payload')).toMatchObject({ ok: true });
    } finally {
      socket.close();
    }
  });
});
