/** @module tests/support/app — createApp() running in a test or bench process, and the dependencies to hand it. */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { createApp, type AppDeps } from '../../functions/src/app.js';
import { createOpenAIModel } from '../../functions/src/llm/openaiModel.js';
import { loadConfig } from '../../functions/src/config.js';
import { createLocalEmbedder } from '../../functions/src/embeddings/local.js';
import { adminAuth, db } from './emulators.js';

/** The offline stack: the local embedder and no model (recall-only chat). */
export function localAppDeps(): AppDeps {
  return {
    db,
    verifyIdToken: (t) => adminAuth.verifyIdToken(t),
    embedder: createLocalEmbedder(),
    llm: loadConfig({}).llm,
    model: null,
  };
}

/** The API as `npm test` configures it, with the model server being tests/fake-llm. */
export function fakeLlmAppDeps(): AppDeps {
  const config = loadConfig(process.env);
  const client = new OpenAI({
    apiKey: config.llm.apiKey ?? 'fake-key-for-tests',
    baseURL: config.llm.baseURL ?? 'http://127.0.0.1:5055/v1',
    timeout: config.llm.timeoutMs,
    maxRetries: 0,
  });
  return { ...localAppDeps(), llm: config.llm, model: createOpenAIModel(client) };
}

export interface RunningApp {
  /** `http://127.0.0.1:<port>`, with no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * The API in this process on a free port, for what the Hosting and Functions emulators hide:
 * the app's own answer to malformed JSON (the platform parses it first), a client going away
 * mid-stream (the emulators' proxies keep the upstream open), handed-in dependencies.
 */
export async function startApp(deps: AppDeps): Promise<RunningApp> {
  const server = createApp(deps).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          if (err) reject(err);
          else resolve();
        });
      }),
  };
}
