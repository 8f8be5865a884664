import { describe, expect, it } from 'vitest';
import {
  AuthenticateSchema,
  HeartbeatSchema,
  JoinSchema,
  LeaveSchema,
  MessageSchema,
  SOCKET_LIMITS,
} from '@memory-weaver/protocol';

const AI = '3f2b8c1e-6d4a-4b7e-9c1f-2a5d8e0b7c34';

describe('authenticate payloads', () => {
  it.each([
    ['an API key', { api_key: 'mwk_abc.def' }],
    ['an ID token', { token: 'eyJhbGciOiJSUzI1NiJ9.x.y' }],
    ['the longest ID token', { token: 't'.repeat(8192) }],
  ])('accepts %s', (_, payload) => {
    expect(AuthenticateSchema.safeParse(payload).success).toBe(true);
  });

  it.each([
    ['no credential', {}],
    ['an empty API key', { api_key: '' }],
    ['an empty token', { token: '' }],
    ['both a key and a token', { api_key: 'mwk_abc.def', token: 'eyJ' }],
    ['an API key longer than 200 characters', { api_key: 'k'.repeat(201) }],
    ['a token longer than 8192 characters', { token: 't'.repeat(8193) }],
    ['an unknown field beside the key', { api_key: 'mwk_abc.def', ai_uuid: AI }],
    ['a key that is not a string', { api_key: 42 }],
    ['a bare string', 'mwk_abc.def'],
  ])('rejects %s', (_, payload) => {
    expect(AuthenticateSchema.safeParse(payload).success).toBe(false);
  });
});

describe('join payloads', () => {
  it.each([
    ['an AI', { ai_uuid: AI }],
    ['an AI and the last event seen', { ai_uuid: AI, since: '000000000042' }],
  ])('accepts %s', (_, payload) => {
    expect(JoinSchema.safeParse(payload).success).toBe(true);
  });

  it.each([
    ['no AI', {}],
    ['an ai_uuid that is not a UUID', { ai_uuid: 'my-ai' }],
    ['an empty since', { ai_uuid: AI, since: '' }],
    ['a since with a slash', { ai_uuid: AI, since: '../000000000042' }],
    ['a since longer than 128 characters', { ai_uuid: AI, since: '1'.repeat(129) }],
    ['an unknown field', { ai_uuid: AI, replay: true }],
  ])('rejects %s', (_, payload) => {
    expect(JoinSchema.safeParse(payload).success).toBe(false);
  });

  it('names ai_uuid in the issue of a malformed AI', () => {
    const result = JoinSchema.safeParse({ ai_uuid: 'my-ai' });
    expect(result.error?.issues[0]?.path).toEqual(['ai_uuid']);
    expect(result.error?.issues[0]?.message).toBe('ai_uuid must be a UUID');
  });
});

describe('leave payloads', () => {
  it('accepts an AI', () => {
    expect(LeaveSchema.safeParse({ ai_uuid: AI }).success).toBe(true);
  });

  it.each([
    ['no AI', {}],
    ['an ai_uuid that is not a UUID', { ai_uuid: '12345' }],
    ['a since (leave takes none)', { ai_uuid: AI, since: '000000000001' }],
  ])('rejects %s', (_, payload) => {
    expect(LeaveSchema.safeParse(payload).success).toBe(false);
  });
});

describe('heartbeat payloads', () => {
  it.each([
    ['no payload', undefined],
    ['an empty object', {}],
  ])('accepts %s', (_, payload) => {
    expect(HeartbeatSchema.safeParse(payload).success).toBe(true);
  });

  it.each([
    ['a field', { at: 1 }],
    ['null', null],
    ['a string', 'ping'],
  ])('rejects %s', (_, payload) => {
    expect(HeartbeatSchema.safeParse(payload).success).toBe(false);
  });
});

describe('message payloads', () => {
  /** A message whose JSON is exactly `bytes` long. */
  const messageOf = (bytes: number) => {
    const empty = JSON.stringify({ ai_uuid: AI, text: '' }).length;
    return { ai_uuid: AI, text: 'x'.repeat(bytes - empty) };
  };

  it.each([
    ['an AI and any fields', { ai_uuid: AI, text: 'hello', meta: { n: 1 } }],
    ['an AI alone', { ai_uuid: AI }],
    ['a message of exactly the largest size', messageOf(SOCKET_LIMITS.maxMessageBytes)],
  ])('accepts %s', (_, payload) => {
    expect(MessageSchema.safeParse(payload).success).toBe(true);
  });

  it.each([
    ['no AI', { text: 'hello' }],
    ['an ai_uuid that is not a UUID', { ai_uuid: 'nope', text: 'hello' }],
    ['a message one byte over the largest size', messageOf(SOCKET_LIMITS.maxMessageBytes + 1)],
  ])('rejects %s', (_, payload) => {
    expect(MessageSchema.safeParse(payload).success).toBe(false);
  });

  it('measures the size in bytes of UTF-8, not in characters', () => {
    const chars = messageOf(SOCKET_LIMITS.maxMessageBytes).text.length;
    // "é" is one character but two bytes: the same number of characters no longer fits.
    expect(MessageSchema.safeParse({ ai_uuid: AI, text: 'é'.repeat(chars) }).success).toBe(false);
  });

  it('keeps the fields beside ai_uuid, which are what the other clients receive', () => {
    expect(MessageSchema.parse({ ai_uuid: AI, text: 'hello' })).toEqual({ ai_uuid: AI, text: 'hello' });
  });
});
