/**
 * Defects the fuzz tier found and that are fixed: each stays as the exact input that showed it,
 * so it can't come back unnoticed. (The ones not fixed yet are in known-defects.test.ts.)
 */
import { describe, it } from 'vitest';
import { defectApp, defect, json, get, cursor } from './defectCases.js';

const subject = defectApp('fixed defects');

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
});
