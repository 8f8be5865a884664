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
import { createLimits } from './http/limits.js';
import { noteRoute } from './http/requestContext.js';
import { requestGate } from './http/requestGate.js';
import { requestLog, type RequestLogger } from './http/requestLog.js';
import { DEFAULT_LIMITS, type LimitsConfig, type LlmConfig } from './config.js';
import type { Embedder } from './embeddings/base.js';
import { AiIndexes } from './search/aiIndexes.js';
import { RetrievalRecorder } from './search/retrievals.js';
import { mcpRoutes } from './mcp/routes.js';
import type { ChatModel } from './llm/base.js';
import { benchRoutes } from './routes/bench.js';
import { brainRoutes } from './routes/brain.js';
import { chatRoutes } from './routes/chat.js';
import { consolidationRoutes } from './routes/consolidation.js';
import { encryptionRoutes } from './routes/encryption.js';
import { extractionRoutes } from './routes/extraction.js';
import { legacyRoutes } from './routes/legacy.js';
import { openApiRoutes } from './routes/openapi.js';
import { resourceRoutes } from './routes/resources.js';
import { summaryRoutes } from './routes/summaries.js';

export interface AppDeps {
  db: Firestore;
  verifyIdToken: VerifyIdToken;
  embedder: Embedder;
  llm: LlmConfig;
  /** The configured chat model; null answers chats in recall-only mode. */
  model: ChatModel | null;
  clock?: Clock;
  /**
   * Where errors and the one line per request go (index.ts hands in the Functions logger). Without
   * a logger, errors go to the console; without `info`, request lines go nowhere.
   */
  log?: ErrorLogger & Partial<RequestLogger>;
  /** Verified API keys kept in this process; see keyCache.ts in @memory-weaver/core. Defaults to 60 s. */
  keyCache?: KeyCache;
  /** Request limits and the response cap; each one left out is config.ts's default. */
  limits?: Partial<LimitsConfig>;
  /**
   * A monotonic clock in milliseconds for the rate limits (`performance.now` by default); a test
   * that freezes it knows no token refills while it runs.
   */
  monotonicNow?: () => number;
  /** This instance's search indexes; by default made here, one per app (an instance in production). */
  indexes?: AiIndexes;
  /** Where retrievals are noted (search/retrievals.ts); by default made here, one per app. */
  retrievals?: RetrievalRecorder;
}

export function createApp(deps: AppDeps): Express {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const routeDeps = {
    db: deps.db,
    verifyIdToken: deps.verifyIdToken,
    clock: deps.clock ?? systemClock,
    keyCache: deps.keyCache ?? createKeyCache({ ttlMs: 60_000, maxEntries: 10_000 }),
    limits: createLimits(limits, deps.monotonicNow ?? (() => performance.now())),
    maxResponseBytes: limits.maxResponseBytes,
  };
  const log: ErrorLogger = deps.log ?? { error: (message, fields) => console.error(message, JSON.stringify(fields)) };
  const indexes = deps.indexes ?? new AiIndexes(deps.db, deps.embedder, { maxMemories: limits.maxIndexedMemories });
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Who is the client? Express's `trust proxy` = n says n proxies stand in front of the app, and
  // `req.ip` becomes the nth `X-Forwarded-For` entry from the right. Deployed, the one proxy is
  // Google's front end: it appends the address it saw connecting, so that is the last entry, and
  // whatever a client wrote into the header comes before it and is never the one taken. Through
  // Firebase Hosting the address the front end sees may be Hosting's edge rather than the client,
  // which makes the clients of one edge share an address budget (the per-key limits still tell
  // them apart); raise MW_TRUST_PROXY_HOPS only once the deployed headers show one more hop that
  // can be trusted. Without the header (in process, in tests) `req.ip` is the socket's peer.
  app.set('trust proxy', limits.trustProxyHops);
  app.use(requestLog(deps.log?.info ? { info: deps.log.info.bind(deps.log) } : null));
  app.use((_req, res, next) => {
    res.set('x-content-type-options', 'nosniff');
    next();
  });
  // Unauthenticated and unlimited on purpose: load balancers and uptime checks hold no
  // credentials and may poll often. It says only that the process answers and costs no read.
  app.get('/v1/healthz', (req, res) => {
    noteRoute(req, res);
    res.json({ status: 'ok' });
  });
  // Before the body is parsed: a refused flood costs as little as possible.
  app.use(requestGate(routeDeps.limits));
  app.use(openApiRoutes()); // GET /v1/openapi.json, no credential (routes/openapi.ts)
  app.use('/v1', brainRoutes(routeDeps, { embedder: deps.embedder })); // before jsonBody: its bodies are files
  app.use(jsonBody());
  app.use(legacyRoutes(routeDeps));
  app.use('/v1', resourceRoutes(routeDeps, deps.llm.allowedModels));
  const retrievals =
    deps.retrievals ?? new RetrievalRecorder(deps.db, { log: (message, fields) => log.error(message, fields) });
  const chat = { db: deps.db, embedder: deps.embedder, indexes, llm: deps.llm, model: deps.model, retrievals };
  app.use('/v1', chatRoutes(routeDeps, chat, log));
  app.use('/v1', extractionRoutes(routeDeps, { llm: deps.llm, hasModel: deps.model?.isModel === true }));
  app.use('/v1', consolidationRoutes(routeDeps, { llm: deps.llm, model: deps.model }));
  app.use('/v1', encryptionRoutes(routeDeps)); // encryption at rest: status, vectors, key rotation
  app.use('/v1', summaryRoutes(routeDeps, { llm: deps.llm, hasModel: deps.model?.isModel === true }));
  app.use(mcpRoutes(routeDeps, chat, log)); // MCP over Streamable HTTP at /mcp (mcp/routes.ts)
  app.use('/v1', benchRoutes(routeDeps, process.env)); // emulators only: the bench's write floor (routes/bench.ts)
  // Nothing of the request is echoed back: a path could carry anything.
  app.use((_req, _res, next) => {
    next(new ApiError('not_found', 'no such endpoint: see the API reference for the paths and methods'));
  });
  app.use(errorHandler(log));
  return app;
}
