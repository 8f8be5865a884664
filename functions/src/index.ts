/**
 * @module index — the Cloud Functions entry: the only file that builds real dependencies.
 * Exports the HTTP API as the v2 function `api`.
 */
import type { Express } from 'express';
import { initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import * as logger from 'firebase-functions/logger';
import { defineSecret } from 'firebase-functions/params';
import { onRequest } from 'firebase-functions/v2/https';
import OpenAI from 'openai';
import { createApp } from './app.js';
import { loadConfig, type Config } from './config.js';
import { createLocalEmbedder } from './embeddings/local.js';
import { createOpenAIEmbedder } from './embeddings/openai.js';
import { createOpenAIModel } from './llm/openaiModel.js';
import { assertEmulatorsOnlyLocally, projectIdFrom } from '@memory-weaver/core';

/**
 * Bound to the function below, so production reads it from Secret Manager. The Functions emulator
 * takes it from `functions/.secret.local` if there is one, else from its own environment (which
 * is how `npm test` hands it the test model's key); unset, chat runs in recall-only mode.
 */
const openaiApiKey = defineSecret('OPENAI_API_KEY');

assertEmulatorsOnlyLocally(process.env, projectIdFrom(process.env));

initializeApp();
const db = getFirestore();
db.settings({ ignoreUndefinedProperties: false });
const auth = getAuth();

// Read at load, so a malformed setting (a limit that isn't a number) stops the instance, and the
// deploy, with its name; the secret is read when the first request arrives (see `app` below).
const config = loadConfig(process.env);

function buildApp(settings: Config): Express {
  const apiKey = openaiApiKey.value().trim() || null;
  const llm = { ...settings.llm, apiKey };
  // One client for chat and (when chosen) embeddings; the SDK's retries are off, see llm/openaiModel.ts.
  const openai = apiKey
    ? new OpenAI({
        apiKey,
        ...(llm.baseURL ? { baseURL: llm.baseURL } : {}),
        timeout: llm.timeoutMs,
        maxRetries: 0,
      })
    : null;
  return createApp({
    db,
    verifyIdToken: (token) => auth.verifyIdToken(token, true),
    embedder:
      settings.embedder === 'openai' && openai
        ? createOpenAIEmbedder(openai, settings.embeddingModel)
        : createLocalEmbedder(),
    llm,
    model: openai ? createOpenAIModel(openai) : null,
    log: {
      error: (message, fields) => {
        logger.error(message, fields);
      },
      info: (message, fields) => {
        logger.info(message, fields);
      },
    },
    limits: settings.limits,
  });
}

/** Built by the instance's first request: a secret's value is only there at run time, not at deploy. */
let app: Express | undefined;

export const api = onRequest(
  {
    region: 'us-central1',
    timeoutSeconds: 300,
    memory: '1GiB',
    secrets: [openaiApiKey],
    // The rate limits are counted per instance (http/limits.ts), so the number of instances is
    // what turns them into a bound: one client can get at most 10 times each limit across the
    // fleet, and a flood can hold at most 10 instances (80 concurrent requests each, the v2
    // default) of Firestore traffic and billing. Ten is several times what the traffic we serve
    // needs; raise it together with the limits when real traffic needs more.
    maxInstances: 10,
  },
  (req, res) => {
    app ??= buildApp(config);
    app(req, res);
  },
);
