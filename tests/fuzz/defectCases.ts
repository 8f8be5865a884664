/**
 * @module tests/fuzz/defectCases — what the defect reproductions share: an in-process app whose
 * error log is captured, an AI to aim at, the per-answer properties of oracle.ts, and small
 * request builders. Used by fixed-defects.test.ts.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { localAppDeps, startApp, type RunningApp } from '../support/app.js';
import { makeAi } from './harness.js';
import { FOUND_DEFECTS, type DefectId } from './foundDefects.js';
import { checkReply } from './oracle.js';
import { send, closeConnections, type WireRequest } from './wire.js';

export interface DefectApp {
  /** The AI the requests are aimed at (set once the file's `beforeAll` has run). */
  readonly ai: { uuid: string; name: string; key: string };
  /** Sends a request to the in-process app and applies the per-answer properties (oracle.ts). */
  expectProperties(req: WireRequest, why: string): Promise<void>;
}

/** Starts the app and makes its AI before the file's tests, and stops it after them. */
export function defectApp(label: string): DefectApp {
  let app: RunningApp | undefined;
  let ai: DefectApp['ai'] | undefined;
  const logged: string[] = [];
  beforeAll(async () => {
    app = await startApp({
      ...localAppDeps(),
      log: {
        error: (message: string, fields: Record<string, unknown>) => {
          logged.push(`${message} ${JSON.stringify(fields).slice(0, 300)}`);
        },
      },
    });
    ai = await makeAi(app.url, label);
  });
  afterAll(async () => {
    await app?.close();
    closeConnections();
  });
  return {
    get ai() {
      if (!ai) throw new Error('the defect app has not started');
      return ai;
    },
    async expectProperties(req, why) {
      if (!app) throw new Error('the defect app has not started');
      logged.length = 0;
      const reply = await send(app.url, req, 30_000);
      const body = req.body;
      const context = `${why}\nanswer: ${reply.status} ${reply.text.slice(0, 300)}\nlogged: ${logged.join('\n').slice(0, 600)}`;
      expect(() => {
        checkReply(reply, {
          sentText: `${req.method} ${req.path}\n${body?.toString('utf8') ?? ''}`,
          bodyBytes: body?.length,
          method: req.method,
          platformParsesBody: false,
        });
      }, context).not.toThrow();
    },
  };
}

/** A found defect's description and fix, for a failure message. */
export const defect = (id: DefectId): string => `${FOUND_DEFECTS[id].what} (fixed in ${FOUND_DEFECTS[id].fixed})`;

export const json = (
  method: string,
  path: string,
  token: string,
  value: unknown,
  headers: [string, string][] = [],
): WireRequest => ({
  method,
  path,
  headers: [['authorization', `Bearer ${token}`], ['content-type', 'application/json'], ...headers],
  body: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8'),
});

export const get = (path: string, token: string): WireRequest => ({
  method: 'GET',
  path,
  headers: [['authorization', `Bearer ${token}`]],
});

/** A page cursor as the API encodes it, with any id. */
export const cursor = (id: string): string =>
  Buffer.from(JSON.stringify({ seconds: 0, nanos: 0, id })).toString('base64url');
