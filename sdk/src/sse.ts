/**
 * @module sse — the chunks of a streamed completion, read from its Server-Sent Events. The server
 * sends `data: <json>` events and ends with `data: [DONE]`; once the status line has said 200, a
 * failure can only come as an event carrying `{ error }`, which is thrown here as the APIError its
 * code names (as OpenAI's clients do).
 */
import type { ErrorBody } from '@memory-weaver/protocol';
import { APIConnectionError, APIError } from './errors.js';

const DONE = '[DONE]';

/** Each event's data, joined as the SSE format says (several `data:` lines are one value). */
async function* events(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') {
          if (data.length) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        } // other fields (event:, id:, retry:) and comments (":") aren't used by this API
      }
    }
  } finally {
    // Also when the reader stops early (a break, an error): the connection is let go.
    await reader.cancel().catch(() => undefined);
  }
  if (data.length) yield data.join('\n');
}

export async function* readChunks<T>(res: Response): AsyncGenerator<T> {
  if (!res.body) throw new APIConnectionError('the stream came without a body', null);
  try {
    for await (const data of events(res.body)) {
      if (data === DONE) return;
      const parsed = JSON.parse(data) as unknown;
      const failure = (parsed as Partial<ErrorBody> | null)?.error;
      if (failure) throw APIError.fromCode(failure.code, failure.message, failure.details);
      yield parsed as T;
    }
  } catch (cause) {
    if (cause instanceof APIError) throw cause;
    throw new APIConnectionError(`the stream failed: ${String(cause)}`, cause);
  }
  throw new APIConnectionError('the stream ended before [DONE]', null);
}
