/**
 * The contract check that `call()` runs on every answer (tests/support/contract.ts) catches the
 * drifts it exists for: a field the protocol doesn't have, a missing one, a status the table
 * doesn't list, an error outside the envelope, a broken stream event. If it let these through, the
 * emulator tier's contract would pass whatever the API answered.
 */
import { describe, expect, it } from 'vitest';
import { contractProblem } from '../../support/contract.js';

const AI = '11111111-2222-4333-8444-555555555555';
const at = '2026-01-02T03:04:05.678Z';
const actor = { kind: 'ai_key', id: 'k1' };
const memory = {
  memory_id: 'm1',
  memory_type: 'archive',
  content: 'c',
  metadata: {},
  created_at: at,
  updated_at: at,
  created_by: actor,
  updated_by: actor,
  source: 'POST /create_memory',
  moved_from: null,
  moved_at: null,
};
const json = (v: unknown) => JSON.stringify(v);
const del = { memory_id: 'm1', memory_type: 'archive', deleted: true, event_id: '000000000001' };
const DELETE_PATH = `/v1/ais/${AI}/memories/archive/m1`;

describe('the contract check', () => {
  it('passes answers in their schema', () => {
    expect(contractProblem('DELETE', DELETE_PATH, 200, 'application/json', json(del))).toBeNull();
    expect(contractProblem('GET', DELETE_PATH, 200, 'application/json', json(memory))).toBeNull();
    expect(contractProblem('POST', '/delete_memory', 200, 'application/json', json(del))).toBeNull();
  });

  it.each([
    ['a field the protocol lacks', { ...del, extra: 1 }, /Unrecognized key/],
    ['a missing field (the SDK’s old delete result)', { ...del, memory_type: undefined }, /memory_type/],
    ['a field of the wrong type', { ...del, deleted: 'yes' }, /deleted/],
  ])('fails %s', (_what, body, message) => {
    expect(contractProblem('DELETE', DELETE_PATH, 200, 'application/json', json(body))).toMatch(message);
  });

  it('fails a status the route table does not list', () => {
    expect(contractProblem('DELETE', DELETE_PATH, 201, 'application/json', json(del))).toMatch(/201 is not among/);
  });

  it('fails a success on a route the table does not have', () => {
    expect(contractProblem('GET', '/v1/nowhere', 200, 'application/json', '{}')).toMatch(/not in the route table/);
  });

  it('fails an error outside the envelope, and passes one inside it', () => {
    expect(contractProblem('GET', DELETE_PATH, 404, 'application/json', json({ message: 'no' }))).toMatch(/ErrorBody/);
    const envelope = { error: { code: 'not_found', message: 'no', details: null, request_id: 'r' } };
    expect(contractProblem('GET', DELETE_PATH, 404, 'application/json', json(envelope))).toBeNull();
    expect(contractProblem('GET', DELETE_PATH, 404, 'text/html', '<html>')).toMatch(/not the JSON error envelope/);
  });

  it('checks each event of a streamed completion', () => {
    const chunk = {
      id: 'c',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null, logprobs: null }],
    };
    const stream = (c: unknown) => `data: ${json(c)}\n\ndata: [DONE]\n\n`;
    expect(contractProblem('POST', '/v1/chat/completions', 200, 'text/event-stream', stream(chunk))).toBeNull();
    expect(
      contractProblem('POST', '/v1/chat/completions', 200, 'text/event-stream', stream({ ...chunk, object: 'x' })),
    ).toMatch(/event 0/);
  });

  it('leaves the console’s files alone', () => {
    expect(contractProblem('GET', '/index.html', 200, 'text/html', '<html>')).toBeNull();
  });
});
