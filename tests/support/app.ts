/** @module tests/support/app — the API's dependencies for running createApp() in a test or bench process. */
import OpenAI from 'openai';
import type { AppDeps } from '../../functions/src/app.js';
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
