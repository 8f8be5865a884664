/**
 * @module llm/structured — one structured-output question to the AI's model: a strict JSON schema
 * (`response_format: json_schema`), the answer parsed with zod before anything is used. Extraction,
 * session summaries and reflections all ask this way, and all name the model's failures with the
 * same codes, so jobs and runs report model trouble alike. The AI's uuid goes upstream as OpenAI's
 * `user` field (a stable end-user id, as that field is meant for); the test stand-in keys its
 * scripted answers on it.
 */
import { z } from 'zod';
import { ApiError } from '@memory-weaver/core';
import type { ChatModel, ModelMessage } from './base.js';

export type ModelFailure =
  'model_output_malformed' | 'model_output_invalid' | 'model_rate_limited' | 'model_timeout' | 'model_failed';

export class StructuredModelError extends Error {
  constructor(
    readonly code: ModelFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface StructuredQuestion<T> {
  aiUuid: string;
  model: string;
  /** The schema's name, as the model (and the stand-in) sees it, e.g. `memory_facts`. */
  name: string;
  schema: z.ZodType<T>;
  messages: ModelMessage[];
}

export async function askStructured<T>(chat: ChatModel, q: StructuredQuestion<T>, signal: AbortSignal): Promise<T> {
  let text: string;
  try {
    const reply = await chat.complete(
      {
        model: q.model,
        messages: q.messages,
        options: {
          temperature: 0,
          user: q.aiUuid,
          response_format: {
            type: 'json_schema',
            json_schema: { name: q.name, strict: true, schema: z.toJSONSchema(q.schema, { target: 'draft-7' }) },
          },
        },
      },
      signal,
    );
    text = reply.text;
  } catch (err) {
    if (signal.aborted) throw new StructuredModelError('model_timeout', 'the model did not answer in time');
    throw modelError(err);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StructuredModelError('model_output_malformed', `the model's ${q.name} answer is not JSON`);
  }
  const parsed = q.schema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') ?? '';
    throw new StructuredModelError(
      'model_output_invalid',
      `the model's ${q.name} answer does not fit its schema (at "${where}")`,
    );
  }
  return parsed.data;
}

function modelError(err: unknown): StructuredModelError {
  if (err instanceof ApiError) {
    if (err.code === 'rate_limited') return new StructuredModelError('model_rate_limited', err.message);
    if (err.code === 'upstream_timeout') return new StructuredModelError('model_timeout', err.message);
    // A refusal (OpenAI's `refusal` with no content) lands here too: "the model returned no message".
    return new StructuredModelError('model_failed', err.message);
  }
  return new StructuredModelError('model_failed', 'the model could not be reached');
}
