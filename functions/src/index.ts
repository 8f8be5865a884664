/**
 * @module index — the Cloud Functions entry: the only file that builds real dependencies.
 * Exports the HTTP API as the v2 function `api`.
 */
import { initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import { onRequest } from 'firebase-functions/v2/https';
import { logger } from 'firebase-functions/v2';
import OpenAI from 'openai';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createLocalEmbedder } from './embeddings/local.js';
import { createOpenAIEmbedder } from './embeddings/openai.js';
import { createOpenAIModel } from './llm/openaiModel.js';
import { assertEmulatorsOnlyLocally, projectIdFrom } from '@memory-weaver/core';

assertEmulatorsOnlyLocally(process.env, projectIdFrom(process.env));

initializeApp();
const db = getFirestore();
db.settings({ ignoreUndefinedProperties: false });
const auth = getAuth();

const config = loadConfig(process.env);
// One client for chat and (when chosen) embeddings; the SDK's retries are off, see llm/openaiModel.ts.
const openai = config.llm.apiKey
  ? new OpenAI({
      apiKey: config.llm.apiKey,
      ...(config.llm.baseURL ? { baseURL: config.llm.baseURL } : {}),
      timeout: config.llm.timeoutMs,
      maxRetries: 0,
    })
  : null;

const app = createApp({
  db,
  verifyIdToken: (token) => auth.verifyIdToken(token, true),
  embedder:
    config.embedder === 'openai' && openai
      ? createOpenAIEmbedder(openai, config.embeddingModel)
      : createLocalEmbedder(),
  llm: config.llm,
  model: openai ? createOpenAIModel(openai) : null,
  log: { error: (message, fields) => logger.error(message, fields) },
});

export const api = onRequest({ region: 'us-central1', timeoutSeconds: 300, memory: '1GiB' }, app);
