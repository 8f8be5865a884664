/**
 * Every route of the route table (packages/protocol/src/routes.ts), once with a valid request and
 * once with an invalid one, against the emulator stack. `call()` checks each answer against the
 * table's schema for its route and status (tests/support/contract.ts), so a shape that drifts from
 * the protocol fails here even when no other test reads that field. A route added to the table
 * without a case here fails the last test, which names it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatCompletionChunkSchema, openApiDocument, ROUTES, type ErrorCode } from '@memory-weaver/protocol';
import { adminIdToken } from '../support/emulators.js';
import {
  call,
  expectError,
  expectStatus,
  newAi,
  type AiSession,
  type CallOptions,
  type Reply,
} from '../support/http.js';

interface Case {
  /** The route as the table writes it: `POST /v1/ais/{ai_uuid}/search`. */
  route: string;
  valid: () => Promise<Reply>;
  status: number;
  invalid: () => Promise<Reply>;
  error: [number, ErrorCode];
}

let admin = '';
let ai: AiSession;
/** An AI that the last cases rotate, revoke and delete. */
let doomed: AiSession;
let memoryId = '';
let sessionId = '';
let extractionId = '';
let reviewIds: string[] = [];
let versionId = '';
let runId = '';

const FAKE_LLM_URL = process.env.FAKE_LLM_URL ?? 'http://127.0.0.1:5055';
/** Scripts the model stand-in's extraction answers for the subject AI (tests/fake-llm/extraction.mjs). */
async function scriptExtraction(script: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${FAKE_LLM_URL}/__extraction/script`, {
    method: 'POST',
    body: JSON.stringify({ user: ai.ai_uuid, ...script }),
  });
  expect(res.status).toBe(204);
}
const BAD_UUID = 'not-a-uuid';

const as = (token: string, body?: unknown): CallOptions => ({ token, ...(body !== undefined ? { body } : {}) });
const key = (body?: unknown) => as(ai.api_key, body);
const seed = (extra: Record<string, unknown>) => ({ ai_name: ai.ai_name, ai_uuid: ai.ai_uuid, ...extra });
const tier = () => `/v1/ais/${ai.ai_uuid}/memories/long_term_memory`;
const memory = () => `${tier()}/${memoryId}`;
const seedMemory = async (content: string): Promise<string> => {
  const reply = await call('POST', tier(), key({ content }));
  expectStatus(reply, 201);
  return String(reply.body.memory_id);
};

const CASES: Case[] = [
  {
    route: 'GET /v1/healthz',
    valid: () => call('GET', '/v1/healthz'),
    status: 200,
    invalid: () => call('POST', '/v1/healthz'),
    error: [404, 'not_found'],
  },
  {
    route: 'GET /v1/openapi.json',
    valid: () => call('GET', '/v1/openapi.json'),
    status: 200,
    invalid: () => call('POST', '/v1/openapi.json'),
    error: [404, 'not_found'],
  },
  {
    route: 'POST /v1/handshake',
    valid: () => call('POST', '/v1/handshake', as(admin, { ai_name: 'contract-handshake' })),
    status: 201,
    invalid: () => call('POST', '/v1/handshake', as(admin, { ai_name: '' })),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /create_memory',
    valid: () => call('POST', '/create_memory', key(seed({ memory_type: 'working_memory', memory_data: 'seed form' }))),
    status: 200,
    invalid: () => call('POST', '/create_memory', key(seed({ memory_type: 'nope', memory_data: 'x' }))),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /edit_memory',
    valid: async () => {
      const id = await seedMemory('to edit');
      return call(
        'POST',
        '/edit_memory',
        key(seed({ memory_type: 'long_term_memory', memory_id: id, memory_data: 'edited' })),
      );
    },
    status: 200,
    invalid: () => call('POST', '/edit_memory', key(seed({ memory_type: 'long_term_memory', memory_data: 'x' }))),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /move_memory',
    valid: async () => {
      const id = await seedMemory('to move');
      const body = seed({ from_memory_type: 'long_term_memory', to_memory_type: 'archive', document_id: id });
      return call('POST', '/move_memory', key(body));
    },
    status: 200,
    invalid: () => {
      const body = seed({ from_memory_type: 'archive', to_memory_type: 'archive', document_id: 'x' });
      return call('POST', '/move_memory', key(body));
    },
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /delete_memory',
    valid: async () => {
      const id = await seedMemory('to delete');
      return call('POST', '/delete_memory', key(seed({ memory_type: 'long_term_memory', memory_id: id })));
    },
    status: 200,
    invalid: () => call('POST', '/delete_memory', key(seed({ memory_type: 'long_term_memory', memory_id: '__x__' }))),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /retrieve_memories',
    valid: () => call('POST', '/retrieve_memories', key(seed({ memory_type: 'long_term_memory', limit: 5 }))),
    status: 200,
    invalid: () => call('POST', '/retrieve_memories', key(seed({ memory_type: 'long_term_memory', limit: 0 }))),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'GET /v1/ais',
    valid: () => call('GET', '/v1/ais?limit=2', as(admin)),
    status: 200,
    invalid: () => call('GET', '/v1/ais?limit=0', as(admin)),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /v1/ais',
    valid: () => call('POST', '/v1/ais', as(admin, { ai_name: 'contract-created' })),
    status: 201,
    invalid: () => call('POST', '/v1/ais', key({ ai_name: 'not allowed' })),
    error: [403, 'permission_denied'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}',
    valid: () => call('GET', `/v1/ais/${ai.ai_uuid}`, key()),
    status: 200,
    invalid: () => call('GET', `/v1/ais/${BAD_UUID}`, key()),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'PATCH /v1/ais/{ai_uuid}',
    valid: () => call('PATCH', `/v1/ais/${ai.ai_uuid}`, as(admin, { instructions: 'Be brief.' })),
    status: 200,
    invalid: () => call('PATCH', `/v1/ais/${ai.ai_uuid}`, as(admin, {})),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}/stats',
    valid: () => call('GET', `/v1/ais/${ai.ai_uuid}/stats`, key()),
    status: 200,
    invalid: () => call('GET', `/v1/ais/${ai.ai_uuid}/stats`),
    error: [401, 'unauthenticated'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}/events',
    valid: () => call('GET', `/v1/ais/${ai.ai_uuid}/events?limit=50`, key()),
    status: 200,
    invalid: () => call('GET', `/v1/ais/${ai.ai_uuid}/events?limit=0`, key()),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}/export',
    // The bundle is NDJSON, not JSON: its format is checked in tests/brain.
    valid: () => call('GET', `/v1/ais/${ai.ai_uuid}/export`, { ...key(), contract: false }),
    status: 200,
    invalid: () => call('GET', `/v1/ais/${ai.ai_uuid}/export?include=everything`, key()),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /v1/ais/import',
    valid: async () => {
      const bundle = (await call('GET', `/v1/ais/${ai.ai_uuid}/export`, { ...key(), contract: false })).text;
      return call('POST', '/v1/ais/import', {
        token: admin,
        rawBody: bundle,
        headers: { 'content-type': 'application/x-ndjson' },
      });
    },
    status: 201,
    // An NDJSON body: one sent as JSON that isn't JSON is refused by the platform before the app.
    invalid: () =>
      call('POST', '/v1/ais/import?mode=sideways', {
        token: admin,
        rawBody: 'x',
        headers: { 'content-type': 'application/x-ndjson' },
      }),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /v1/ais/{ai_uuid}/import',
    valid: async () => {
      const bundle = (await call('GET', `/v1/ais/${ai.ai_uuid}/export`, { ...key(), contract: false })).text;
      return call('POST', `/v1/ais/${ai.ai_uuid}/import?mode=dry_run`, {
        ...key(),
        rawBody: bundle,
        headers: { 'content-type': 'application/x-ndjson' },
      });
    },
    status: 200,
    invalid: () =>
      call('POST', `/v1/ais/${ai.ai_uuid}/import`, {
        ...key(),
        rawBody: 'not a bundle',
        headers: { 'content-type': 'application/x-ndjson' },
      }),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /v1/ais/{ai_uuid}/memories/{memory_type}',
    valid: async () => {
      const reply = await call(
        'POST',
        tier(),
        key({ content: 'the lighthouse keeper likes tea', metadata: { topic: 'tea' } }),
      );
      memoryId = String(reply.body.memory_id);
      return reply;
    },
    status: 201,
    invalid: () => call('POST', tier(), key({ content: '' })),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}/memories/{memory_type}',
    valid: () => call('GET', `${tier()}?limit=5&meta.topic=tea`, key()),
    status: 200,
    invalid: () => call('GET', `/v1/ais/${ai.ai_uuid}/memories/nope`, key()),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}',
    valid: () => call('GET', memory(), key()),
    status: 200,
    invalid: () => call('GET', `${tier()}/no-such-memory`, key()),
    error: [404, 'not_found'],
  },
  {
    route: 'PATCH /v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}',
    valid: () => call('PATCH', memory(), key({ metadata: { topic: 'tea', edited: true } })),
    status: 200,
    invalid: () => call('PATCH', memory(), key({})),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}/move',
    valid: async () => {
      const reply = await call('POST', `${memory()}/move`, key({ to_memory_type: 'personal_logs' }));
      const back = await call(
        'POST',
        `/v1/ais/${ai.ai_uuid}/memories/personal_logs/${memoryId}/move`,
        key({ to_memory_type: 'long_term_memory' }),
      );
      expectStatus(back, 200);
      return reply;
    },
    status: 200,
    invalid: () => call('POST', `${memory()}/move`, key({ to_memory_type: 'nope' })),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /v1/ais/{ai_uuid}/search',
    valid: () => call('POST', `/v1/ais/${ai.ai_uuid}/search`, key({ query: 'lighthouse tea', limit: 3 })),
    status: 200,
    invalid: () => call('POST', `/v1/ais/${ai.ai_uuid}/search`, key({ query: '' })),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /v1/chat/completions',
    valid: async () => {
      const reply = await call(
        'POST',
        '/v1/chat/completions',
        key({ messages: [{ role: 'user', content: 'What does the keeper like?' }] }),
      );
      sessionId = String(reply.body.memory_weaver?.session_id);
      return reply;
    },
    status: 200,
    invalid: () => call('POST', '/v1/chat/completions', key({ messages: [] })),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /v1/ais/{ai_uuid}/context',
    valid: () =>
      call(
        'POST',
        `/v1/ais/${ai.ai_uuid}/context`,
        key({ messages: [{ role: 'user', content: 'tea?' }], session_id: sessionId }),
      ),
    status: 200,
    invalid: () => call('POST', `/v1/ais/${ai.ai_uuid}/context`, key({ messages: [] })),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}/sessions',
    valid: () => call('GET', `/v1/ais/${ai.ai_uuid}/sessions?limit=5`, key()),
    status: 200,
    invalid: () => call('GET', `/v1/ais/${ai.ai_uuid}/sessions?limit=0`, key()),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}/sessions/{session_id}',
    valid: () => call('GET', `/v1/ais/${ai.ai_uuid}/sessions/${sessionId}`, key()),
    status: 200,
    invalid: () => call('GET', `/v1/ais/${ai.ai_uuid}/sessions/no-such-session`, key()),
    error: [404, 'not_found'],
  },
  // Session summaries (tests/consolidation/summaries.test.ts has the summaries themselves)
  {
    route: 'GET /v1/ais/{ai_uuid}/sessions/{session_id}/summary',
    valid: () => call('GET', `/v1/ais/${ai.ai_uuid}/sessions/${sessionId}/summary`, key()),
    status: 200,
    invalid: () => call('GET', `/v1/ais/${ai.ai_uuid}/sessions/no-such-session/summary`, key()),
    error: [404, 'not_found'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}/summaries',
    valid: () => call('GET', `/v1/ais/${ai.ai_uuid}/summaries`, key()),
    status: 200,
    invalid: () => call('GET', `/v1/ais/${BAD_UUID}/summaries`, key()),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'PATCH /v1/ais/{ai_uuid}/summaries',
    valid: () => call('PATCH', `/v1/ais/${ai.ai_uuid}/summaries`, key({ every_turns: 12 })),
    status: 200,
    invalid: () => call('PATCH', `/v1/ais/${ai.ai_uuid}/summaries`, key({ every_turns: 1 })),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'DELETE /v1/ais/{ai_uuid}/sessions/{session_id}',
    valid: () => call('DELETE', `/v1/ais/${ai.ai_uuid}/sessions/${sessionId}`, key()),
    status: 200,
    invalid: () => call('DELETE', `/v1/ais/${ai.ai_uuid}/sessions/${sessionId}`, key()),
    error: [404, 'not_found'],
  },
  // Extraction (off by default: the PATCH case turns it on, the model stand-in is scripted below).
  {
    route: 'GET /v1/ais/{ai_uuid}/extraction',
    valid: () => call('GET', `/v1/ais/${ai.ai_uuid}/extraction`, key()),
    status: 200,
    invalid: () => call('GET', `/v1/ais/${BAD_UUID}/extraction`, key()),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'PATCH /v1/ais/{ai_uuid}/extraction',
    valid: async () => {
      await scriptExtraction({
        facts: [{ when: 'my name is (\\w+)', content: "The user's name is $1." }],
        fail: { stage: 'facts', kind: '500', times: 1 },
      });
      return call('PATCH', `/v1/ais/${ai.ai_uuid}/extraction`, key({ enabled: true }));
    },
    status: 200,
    invalid: () => call('PATCH', `/v1/ais/${ai.ai_uuid}/extraction`, key({ enabled: 'yes' })),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /v1/ais/{ai_uuid}/observe',
    valid: async () => {
      const reply = await call(
        'POST',
        `/v1/ais/${ai.ai_uuid}/observe`,
        key({ messages: [{ role: 'user', content: 'my name is Contract' }] }),
      );
      extractionId = String(reply.body.extraction_id);
      return reply;
    },
    status: 202,
    invalid: () => call('POST', `/v1/ais/${ai.ai_uuid}/observe`, key({ messages: [] })),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}/extractions',
    valid: () => call('GET', `/v1/ais/${ai.ai_uuid}/extractions?limit=5`, key()),
    status: 200,
    invalid: () => call('GET', `/v1/ais/${ai.ai_uuid}/extractions?limit=0`, key()),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}/extractions/{extraction_id}',
    valid: async () => {
      // The scripted 500 fails the first attempt: wait for it, so the retry case has a failed job.
      await expect
        .poll(async () => (await call('GET', `/v1/ais/${ai.ai_uuid}/extractions/${extractionId}`, key())).body.status, {
          timeout: 20_000,
        })
        .toBe('failed');
      return call('GET', `/v1/ais/${ai.ai_uuid}/extractions/${extractionId}`, key());
    },
    status: 200,
    invalid: () => call('GET', `/v1/ais/${ai.ai_uuid}/extractions/no-such-job`, key()),
    error: [404, 'not_found'],
  },
  {
    route: 'POST /v1/ais/{ai_uuid}/extractions/{extraction_id}/retry',
    valid: () => call('POST', `/v1/ais/${ai.ai_uuid}/extractions/${extractionId}/retry`, key()),
    status: 202,
    invalid: () => call('POST', `/v1/ais/${ai.ai_uuid}/extractions/no-such-job/retry`, key()),
    error: [404, 'not_found'],
  },
  {
    route: 'POST /v1/ais/{ai_uuid}/extractions/{extraction_id}/decisions/{index}/undo',
    valid: async () => {
      // The retried job (no more scripted failures) adds its one fact; undo deletes it again.
      await expect
        .poll(async () => (await call('GET', `/v1/ais/${ai.ai_uuid}/extractions/${extractionId}`, key())).body.status, {
          timeout: 20_000,
        })
        .toBe('done');
      return call('POST', `/v1/ais/${ai.ai_uuid}/extractions/${extractionId}/decisions/0/undo`, key());
    },
    status: 200,
    invalid: () => call('POST', `/v1/ais/${ai.ai_uuid}/extractions/${extractionId}/decisions/0/undo`, key()),
    error: [409, 'conflict'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}/extraction/hygiene',
    valid: () => call('GET', `/v1/ais/${ai.ai_uuid}/extraction/hygiene?days=7`, key()),
    status: 200,
    invalid: () => call('GET', `/v1/ais/${ai.ai_uuid}/extraction/hygiene?days=0`, key()),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}/review',
    valid: async () => {
      // Review mode, and two exchanges whose facts wait in the queue for the next two cases.
      expectStatus(await call('PATCH', `/v1/ais/${ai.ai_uuid}/extraction`, key({ review: true })), 200);
      for (const name of ['Ann', 'Bo']) {
        const observed = await call(
          'POST',
          `/v1/ais/${ai.ai_uuid}/observe`,
          key({ messages: [{ role: 'user', content: `my name is ${name}` }] }),
        );
        expectStatus(observed, 202);
      }
      await expect
        .poll(async () => (await call('GET', `/v1/ais/${ai.ai_uuid}/review`, key())).body.items.length, {
          timeout: 20_000,
        })
        .toBe(2);
      const reply = await call('GET', `/v1/ais/${ai.ai_uuid}/review`, key());
      reviewIds = (reply.body.items as { review_id: string }[]).map((i) => i.review_id);
      return reply;
    },
    status: 200,
    invalid: () => call('GET', `/v1/ais/${BAD_UUID}/review`, key()),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /v1/ais/{ai_uuid}/review/{review_id}/approve',
    valid: () => call('POST', `/v1/ais/${ai.ai_uuid}/review/${reviewIds[0] ?? ''}/approve`, key()),
    status: 200,
    invalid: () => call('POST', `/v1/ais/${ai.ai_uuid}/review/${reviewIds[0] ?? ''}/approve`, key()),
    error: [404, 'not_found'],
  },
  {
    route: 'POST /v1/ais/{ai_uuid}/review/{review_id}/reject',
    valid: () => call('POST', `/v1/ais/${ai.ai_uuid}/review/${reviewIds[1] ?? ''}/reject`, key()),
    status: 200,
    invalid: () => call('POST', `/v1/ais/${ai.ai_uuid}/review/${reviewIds[1] ?? ''}/reject`, key()),
    error: [404, 'not_found'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}/versions',
    valid: async () => {
      expectStatus(await call('PATCH', memory(), key({ content: 'a version to come back to' })), 200);
      const reply = await call('GET', `${memory()}/versions`, key());
      versionId = String(reply.body.versions[0]?.version_id);
      return reply;
    },
    status: 200,
    invalid: () => call('GET', `${tier()}/no-such-memory/versions`, key()),
    error: [404, 'not_found'],
  },
  {
    route: 'POST /v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}/versions/{version_id}/restore',
    valid: () => call('POST', `${memory()}/versions/${versionId}/restore`, key()),
    status: 200,
    invalid: () => call('POST', `${memory()}/versions/not-a-version/restore`, key()),
    error: [400, 'invalid_argument'],
  },
  // Consolidation (tests/consolidation has the lifecycle itself)
  {
    route: 'GET /v1/ais/{ai_uuid}/consolidation',
    valid: () => call('GET', `/v1/ais/${ai.ai_uuid}/consolidation`, key()),
    status: 200,
    invalid: () => call('GET', `/v1/ais/${BAD_UUID}/consolidation`, key()),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'PATCH /v1/ais/{ai_uuid}/consolidation',
    valid: () => call('PATCH', `/v1/ais/${ai.ai_uuid}/consolidation`, key({ unretrieved_days: 60 })),
    status: 200,
    invalid: () => call('PATCH', `/v1/ais/${ai.ai_uuid}/consolidation`, key({ unretrieved_days: 0 })),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /v1/ais/{ai_uuid}/consolidate',
    valid: async () => {
      const reply = await call('POST', `/v1/ais/${ai.ai_uuid}/consolidate`, key({ dry_run: true }));
      runId = String(reply.body.run_id);
      return reply;
    },
    status: 200,
    invalid: () => call('POST', `/v1/ais/${ai.ai_uuid}/consolidate`, key({ dry_run: 'yes' })),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}/consolidations',
    valid: () => call('GET', `/v1/ais/${ai.ai_uuid}/consolidations?limit=5`, key()),
    status: 200,
    invalid: () => call('GET', `/v1/ais/${ai.ai_uuid}/consolidations?limit=0`, key()),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}/consolidations/{run_id}',
    valid: () => call('GET', `/v1/ais/${ai.ai_uuid}/consolidations/${runId}`, key()),
    status: 200,
    invalid: () => call('GET', `/v1/ais/${ai.ai_uuid}/consolidations/no-such-run`, key()),
    error: [404, 'not_found'],
  },
  {
    route: 'POST /v1/ais/{ai_uuid}/consolidations/{run_id}/undo',
    valid: () => call('POST', `/v1/ais/${ai.ai_uuid}/consolidations/${runId}/undo`, key()),
    status: 200,
    invalid: () => call('POST', `/v1/ais/${ai.ai_uuid}/consolidations/no-such-run/undo`, key()),
    error: [404, 'not_found'],
  },
  {
    route: 'POST /v1/ais/{ai_uuid}/consolidations/{run_id}/proposals/accept',
    valid: () =>
      call('POST', `/v1/ais/${ai.ai_uuid}/consolidations/${runId}/proposals/accept`, key({ memory_ids: ['m1'] })),
    status: 200,
    invalid: () =>
      call('POST', `/v1/ais/${ai.ai_uuid}/consolidations/${runId}/proposals/accept`, key({ memory_ids: [] })),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'DELETE /v1/ais/{ai_uuid}/memories/{memory_type}/{memory_id}',
    valid: () => call('DELETE', memory(), key()),
    status: 200,
    invalid: () => call('DELETE', memory(), key()),
    error: [404, 'not_found'],
  },
  {
    route: 'GET /v1/ais/{ai_uuid}/encryption',
    valid: () => call('GET', `/v1/ais/${ai.ai_uuid}/encryption`, as(admin)),
    status: 200,
    invalid: () => call('GET', `/v1/ais/${ai.ai_uuid}/encryption`, key()),
    error: [403, 'permission_denied'],
  },
  {
    route: 'PATCH /v1/ais/{ai_uuid}/encryption',
    // The setting needs a data key: rotating gives one even to an AI made with MW_ENCRYPT_NEW_AIS=off.
    valid: async () => {
      await call('POST', `/v1/ais/${doomed.ai_uuid}/encryption/rotate-key`, as(admin));
      return call('PATCH', `/v1/ais/${doomed.ai_uuid}/encryption`, as(admin, { store_vectors: true }));
    },
    status: 200,
    invalid: () => call('PATCH', `/v1/ais/${ai.ai_uuid}/encryption`, as(admin, { store_vectors: 'no' })),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'POST /v1/ais/{ai_uuid}/encryption/rotate-key',
    valid: () => call('POST', `/v1/ais/${doomed.ai_uuid}/encryption/rotate-key`, as(admin)),
    status: 202,
    invalid: () => call('POST', `/v1/ais/${ai.ai_uuid}/encryption/rotate-key`, key()),
    error: [403, 'permission_denied'],
  },
  {
    route: 'POST /v1/ais/{ai_uuid}/api-key',
    valid: () => call('POST', `/v1/ais/${doomed.ai_uuid}/api-key`, as(admin)),
    status: 201,
    invalid: () => call('POST', `/v1/ais/${ai.ai_uuid}/api-key`, key()),
    error: [403, 'permission_denied'],
  },
  {
    route: 'DELETE /v1/ais/{ai_uuid}/api-key',
    valid: () => call('DELETE', `/v1/ais/${doomed.ai_uuid}/api-key`, as(admin)),
    status: 200,
    invalid: () => call('DELETE', `/v1/ais/${BAD_UUID}/api-key`, as(admin)),
    error: [400, 'invalid_argument'],
  },
  {
    route: 'DELETE /v1/ais/{ai_uuid}',
    valid: () => call('DELETE', `/v1/ais/${doomed.ai_uuid}`, as(admin)),
    status: 200,
    invalid: () => call('DELETE', `/v1/ais/${doomed.ai_uuid}`, as(admin)),
    error: [404, 'not_found'],
  },
];

const created: string[] = [];

beforeAll(async () => {
  admin = await adminIdToken();
  ai = await newAi('contract-subject');
  doomed = await newAi('contract-doomed');
});

afterAll(async () => {
  for (const uuid of [ai.ai_uuid, ...created]) await call('DELETE', `/v1/ais/${uuid}`, as(admin));
});

describe('every route answers its schema', () => {
  // In order: the cases near the end delete what the earlier ones made.
  for (const c of CASES) {
    it(`${c.route}: a valid request gets ${String(c.status)} in its schema, an invalid one the error envelope`, async () => {
      const ok = await c.valid();
      expectStatus(ok, c.status);
      if (typeof ok.body === 'object' && ok.body !== null && 'created' in ok.body && ok.body.created === true) {
        created.push(String(ok.body.ai_uuid));
      }
      expectError(await c.invalid(), ...c.error);
    });
  }

  it('serves the document the protocol generates, without a credential', async () => {
    const reply = await call('GET', '/v1/openapi.json');
    expectStatus(reply, 200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('streams a completion whose every event is a chunk of the schema', async () => {
    const reply = await call(
      'POST',
      '/v1/chat/completions',
      key({ stream: true, messages: [{ role: 'user', content: 'tea?' }] }),
    );
    expectStatus(reply, 200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = reply.text.split('\n\n').filter((e) => e.startsWith('data: '));
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => ChatCompletionChunkSchema.parse(JSON.parse(e.slice(6))));
    expect(chunks[0]?.memory_weaver?.ai_uuid).toBe(ai.ai_uuid);
  });

  it('has a case for every route of the table', () => {
    const covered = new Set(CASES.map((c) => c.route));
    const missing = ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`).filter((r) => !covered.has(r));
    expect(
      missing,
      `routes with no case in tests/contract/routes.test.ts: add one each:\n  ${missing.join('\n  ')}`,
    ).toEqual([]);
  });
});
