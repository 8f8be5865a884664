/**
 * @module consolidation/structured — one structured-output question to the AI's model (strict JSON
 * schema), the answer parsed with zod before anything is used; failures as extraction names them
 * (ExtractionModelError's codes), so runs and jobs report model trouble the same way. The AI's uuid
 * goes as OpenAI's `user` field, on which the test stand-in keys its scripted answers.
 */
import { z } from 'zod';
import { ApiError } from '@memory-weaver/core';
import { ExtractionModelError } from '../extraction/model.js';
import type { ChatModel, ModelMessage } from '../llm/base.js';

export interface StructuredQuestion<T> {
  aiUuid: string;
  model: string;
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
    if (signal.aborted) throw new ExtractionModelError('model_timeout', 'the model did not answer in time');
    if (err instanceof ApiError && err.code === 'rate_limited') {
      throw new ExtractionModelError('model_rate_limited', err.message);
    }
    throw new ExtractionModelError(
      'model_failed',
      err instanceof ApiError ? err.message : 'the model could not be reached',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ExtractionModelError('model_output_malformed', `the model's ${q.name} answer is not JSON`);
  }
  const parsed = q.schema.safeParse(json);
  if (!parsed.success) {
    throw new ExtractionModelError('model_output_invalid', `the model's ${q.name} answer does not fit its schema`);
  }
  return parsed.data;
}
