/**
 * Ids that Firestore reserves (`__…__`) are the client's mistake: a 400 naming the field, not a
 * 500 with a stack trace logged per request (which let one key flood the logs).
 */
import { describe, it } from 'vitest';
import { call, expectError, newAi } from '../support/http.js';

const RESERVED = ['__x__', '__name__', '____'];

describe('reserved ids', () => {
  it.each(RESERVED)('refuses the memory id %s in every memory route with a 400', async (id) => {
    const ai = await newAi('Reserved ids');
    const scope = { ai_name: ai.ai_name, ai_uuid: ai.ai_uuid };
    const token = ai.api_key;
    const base = `/v1/ais/${ai.ai_uuid}/memories/working_memory/${id}`;
    const replies = [
      await call('GET', base, { token }),
      await call('PATCH', base, { token, body: { content: 'x' } }),
      await call('DELETE', base, { token }),
      await call('POST', `${base}/move`, { token, body: { to_memory_type: 'archive' } }),
      await call('POST', '/edit_memory', {
        token,
        body: { ...scope, memory_type: 'working_memory', memory_id: id, memory_data: 'x' },
      }),
      await call('POST', '/delete_memory', { token, body: { ...scope, memory_type: 'working_memory', memory_id: id } }),
      await call('POST', '/move_memory', {
        token,
        body: { ...scope, from_memory_type: 'working_memory', to_memory_type: 'archive', document_id: id },
      }),
    ];
    for (const reply of replies) expectError(reply, 400, 'invalid_argument');
  });

  it.each(RESERVED)('refuses the session id %s with a 400', async (id) => {
    const ai = await newAi('Reserved sessions');
    const token = ai.api_key;
    expectError(await call('GET', `/v1/ais/${ai.ai_uuid}/sessions/${id}`, { token }), 400, 'invalid_argument');
    expectError(await call('DELETE', `/v1/ais/${ai.ai_uuid}/sessions/${id}`, { token }), 400, 'invalid_argument');
    expectError(
      await call('POST', '/v1/chat/completions', {
        token,
        body: { session_id: id, messages: [{ role: 'user', content: 'hello' }] },
      }),
      400,
      'invalid_argument',
    );
  });
});
