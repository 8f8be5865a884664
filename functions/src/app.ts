/**
 * @module app — `createApp(deps)`: the whole HTTP API as one Express app. It touches nothing
 * outside what it is handed; `index.ts` builds the real dependencies and exports it as `api`.
 */
import express, { type Express } from 'express';
import type { Firestore } from 'firebase-admin/firestore';
import {
  ApiError,
  type Clock,
  createKeyCache,
  type KeyCache,
  systemClock,
  type VerifyIdToken,
} from '@memory-weaver/core';
import { jsonBody } from './http/body.js';
import { errorHandler, type ErrorLogger } from './http/errors.js';
import type { LlmConfig } from './config.js';
import type { Embedder } from './embeddings/base.js';
import type { ChatModel } from './llm/base.js';
import { chatRoutes } from './routes/chat.js';
import { legacyRoutes } from './routes/legacy.js';
import { resourceRoutes } from './routes/resources.js';

export interface AppDeps {
  db: Firestore;
  verifyIdToken: VerifyIdToken;
  embedder: Embedder;
  llm: LlmConfig;
  /** The configured chat model; null answers chats in recall-only mode. */
  model: ChatModel | null;
  clock?: Clock;
  log?: ErrorLogger;
  /** Verified API keys kept in this process; see keyCache.ts in @memory-weaver/core. Defaults to 60 s. */
  keyCache?: KeyCache;
}

export function createApp(deps: AppDeps): Express {
  const routeDeps = {
    db: deps.db,
    verifyIdToken: deps.verifyIdToken,
    clock: deps.clock ?? systemClock,
    keyCache: deps.keyCache ?? createKeyCache({ ttlMs: 60_000, maxEntries: 10_000 }),
    embedder: deps.embedder,
  };
  const log = deps.log ?? { error: (message, fields) => console.error(message, JSON.stringify(fields)) };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(jsonBody());
  // Unauthenticated on purpose: load balancers and uptime checks hold no credentials. It says
  // only that the process answers.
  app.get('/v1/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(legacyRoutes(routeDeps));
  app.use('/v1', resourceRoutes(routeDeps, deps.llm.allowedModels));
  app.use(
    '/v1',
    chatRoutes(routeDeps, { db: deps.db, embedder: deps.embedder, llm: deps.llm, model: deps.model }, log),
  );
  app.use((req, _res, next) => {
    next(new ApiError('not_found', `no endpoint ${req.method} ${req.path}`));
  });
  app.use(errorHandler(log));
  return app;
}
