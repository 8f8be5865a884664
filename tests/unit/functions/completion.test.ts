import { describe, expect, it } from 'vitest';
import type { MemoryWeaverInfo } from '@memory-weaver/protocol';
import { chunkBody, completionBody, replayChunks } from '../../../functions/src/chat/completion.js';

const head = { id: 'chatcmpl-1', created: 1_700_000_000, model: 'gpt-test' };
const info: MemoryWeaverInfo = { session_id: 's1', ai_uuid: 'a1', recall_only: false, memories_used: [] };
const messages = [
  { role: 'system' as const, content: 'x'.repeat(40) },
  { role: 'user' as const, content: 'x'.repeat(8) },
];

describe('a completion body', () => {
  it('carries the answer, the finish reason and what Memory Weaver added', () => {
    const c = completionBody(head, messages, info, { text: 'hello', finishReason: 'length', usage: null });
    expect(c).toMatchObject({ id: 'chatcmpl-1', object: 'chat.completion', created: head.created, model: 'gpt-test' });
    expect(c.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'length', logprobs: null },
    ]);
    expect(c.memory_weaver).toBe(info);
  });

  it("reports the model's own token counts when it gives them", () => {
    const usage = { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 };
    expect(completionBody(head, messages, info, { text: 'hello', finishReason: 'stop', usage }).usage).toEqual(usage);
  });

  it('estimates token counts from every message sent when the model gives none', () => {
    const c = completionBody(head, messages, info, { text: 'x'.repeat(9), finishReason: 'stop', usage: null });
    expect(c.usage).toEqual({ prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 });
  });
});

describe('stream chunks', () => {
  it('put the delta in the one choice and extra fields at the top level', () => {
    expect(chunkBody(head, { content: 'hi' }, null, { memory_weaver: info })).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: head.created,
      model: 'gpt-test',
      choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null, logprobs: null }],
      memory_weaver: info,
    });
  });

  it('replay a stored completion as the whole answer, then its finish reason', () => {
    const stored = completionBody(head, messages, info, { text: 'hello', finishReason: 'length', usage: null });
    const [answer, finish, ...rest] = replayChunks(stored);
    expect(answer).toMatchObject({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: { role: 'assistant', content: 'hello' }, finish_reason: null }],
      memory_weaver: info,
    });
    expect(finish).toMatchObject({ choices: [{ index: 0, delta: {}, finish_reason: 'length' }] });
    expect(finish).not.toHaveProperty('memory_weaver');
    expect(rest).toEqual([]);
  });
});
