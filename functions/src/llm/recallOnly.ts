/**
 * @module llm/recallOnly — the stand-in when no model is configured (the offline default): it
 * answers, clearly labelled, with what the AI remembers about the conversation, so the local
 * stack is usable with no key. It is not a language model and says so in every answer.
 */
import type { ChatModel, ModelReply, ModelRequest } from './base.js';

export const RECALL_ONLY_MODEL = 'memory-weaver-recall-only';
const LABEL = '[recall-only mode: no language model is configured on this server]';

/** `recall` gives the memories chosen for the request, most relevant first. */
export function createRecallOnlyModel(recall: (request: ModelRequest) => string[]): ChatModel {
  const answer = (request: ModelRequest): ModelReply => {
    const items = recall(request).slice(0, 5);
    const text =
      items.length === 0
        ? `${LABEL} I don't remember anything about this yet.`
        : `${LABEL} Here is what I remember that seems related:\n${items.map((m) => `- ${m}`).join('\n')}`;
    return { text, finishReason: 'stop', usage: null };
  };
  return {
    isModel: false,
    complete: (request) => Promise.resolve(answer(request)),
    stream: (request, _signal, onDelta) => {
      const reply = answer(request);
      for (const part of reply.text.match(/\S+\s*/g) ?? []) onDelta(part);
      return Promise.resolve(reply);
    },
  };
}
