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
import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import { onSchedule } from 'firebase-functions/v2/scheduler';
import OpenAI from 'openai';
import { createApp } from './app.js';
import { consolidateAll } from './consolidation/consolidate.js';
import { runSummary, type SummaryDeps } from './consolidation/summaries/index.js';
import { runExtraction, type ExtractionDeps } from './extraction/runExtraction.js';
import { sweepForgotten } from './forget/sweep.js';
import { AiIndexes } from './search/aiIndexes.js';
import { loadConfig, type Config } from './config.js';
import { createLocalEmbedder } from './embeddings/local.js';
import { createOpenAIEmbedder } from './embeddings/openai.js';
import { createOpenAIModel } from './llm/openaiModel.js';
import { assertEmulatorsOnlyLocally, processKeyring, projectIdFrom, systemClock } from '@memory-weaver/core';

/**
 * Bound to the function below, so production reads it from Secret Manager. The Functions emulator
 * takes it from `functions/.secret.local` if there is one, else from its own environment (which
 * is how `npm test` hands it the test model's key); unset, chat runs in recall-only mode.
 */
const openaiApiKey = defineSecret('OPENAI_API_KEY');

assertEmulatorsOnlyLocally(process.env, projectIdFrom(process.env));
// Encryption at rest's keys (core's crypto/): built now, so a local KEK outside the emulators stops the start.
processKeyring();

initializeApp();
const db = getFirestore();
db.settings({ ignoreUndefinedProperties: false });
const auth = getAuth();

// Read at load, so a malformed setting (a limit that isn't a number) stops the instance, and the
// deploy, with its name; the secret is read when the first request arrives (see `app` below).
const config = loadConfig(process.env);

/** The model and the embedder, from the settings and the secret (read at run time, not at deploy). */
function buildPorts(settings: Config) {
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
  const embedder =
    settings.embedder === 'openai' && openai
      ? createOpenAIEmbedder(openai, settings.embeddingModel)
      : createLocalEmbedder();
  return { llm, embedder, model: openai ? createOpenAIModel(openai) : null };
}

function buildApp(settings: Config): Express {
  const { llm, embedder, model } = buildPorts(settings);
  return createApp({
    db,
    verifyIdToken: (token) => auth.verifyIdToken(token, true),
    embedder,
    llm,
    model,
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

/** Built by the instance's first job; null when no model is configured (no job is queued then). */
let extraction: ExtractionDeps | null | undefined;

/**
 * Runs an extraction job (extraction/runExtraction.ts) whenever one is written with status
 * `queued`: created so by a chat exchange or `observe`, or set back to it by a retry. The job's
 * other writes (its progress) wake the trigger too and end here at once.
 */
export const extract = onDocumentWritten(
  {
    document: 'ai_registry/{aiUuid}/extractions/{jobId}',
    region: 'us-central1',
    timeoutSeconds: 300,
    memory: '1GiB',
    secrets: [openaiApiKey],
    maxInstances: 10,
  },
  async (event) => {
    if (event.data?.after.get('status') !== 'queued') return;
    if (extraction === undefined) {
      const { llm, embedder, model } = buildPorts(config);
      extraction = model
        ? {
            db,
            clock: systemClock,
            chat: model,
            embedder,
            indexes: new AiIndexes(db, embedder, { maxMemories: config.limits.maxIndexedMemories }),
            timeoutMs: llm.timeoutMs,
          }
        : null;
    }
    if (!extraction) return;
    const outcome = await runExtraction(extraction, event.params.aiUuid, event.params.jobId);
    logger.info('extraction attempt', { ai_uuid: event.params.aiUuid, extraction_id: event.params.jobId, outcome });
  },
);

/** Built by the instance's first summary job; null when no model is configured (no job is queued then). */
let summaries: SummaryDeps | null | undefined;

/**
 * Runs a session-summary job (consolidation/summaries/runSummary.ts) whenever one is written with
 * status `queued`: created so in the commit of the turn that reaches the AI's `every_turns`. The
 * job's own later writes wake the trigger too and end here at once; a redelivered event finds the
 * job no longer queued, or its turn already covered, and writes nothing.
 */
export const summarize = onDocumentWritten(
  {
    document: 'ai_registry/{aiUuid}/summary_jobs/{jobId}',
    region: 'us-central1',
    timeoutSeconds: 300,
    memory: '512MiB',
    secrets: [openaiApiKey],
    maxInstances: 10,
  },
  async (event) => {
    if (event.data?.after.get('status') !== 'queued') return;
    if (summaries === undefined) {
      const { llm, model } = buildPorts(config);
      summaries = model ? { db, clock: systemClock, chat: model, timeoutMs: llm.timeoutMs } : null;
    }
    if (!summaries) return;
    const outcome = await runSummary(summaries, event.params.aiUuid, event.params.jobId);
    logger.info('summary attempt', { ai_uuid: event.params.aiUuid, summary_job: event.params.jobId, outcome });
  },
);

/**
 * Consolidates every live AI once a day (consolidation/consolidate.ts's `consolidateAll`): old
 * working memory to the archive, each move audited and undoable, each AI bounded to a few batches
 * so that one large AI does not hold up the others. The Functions emulator does not fire
 * schedules (no Pub/Sub emulator here): tests run `consolidateAll` itself, the code this calls.
 */
export const consolidate = onSchedule(
  {
    schedule: 'every day 03:00',
    timeZone: 'UTC',
    region: 'us-central1',
    timeoutSeconds: 540,
    memory: '1GiB',
    // Extraction jobs and reflections ask the model.
    secrets: [openaiApiKey],
  },
  async () => {
    const { llm, model } = buildPorts(config);
    const report = await consolidateAll({ db, clock: systemClock, llm, model });
    logger.info('consolidation pass', { ...report });
  },
);

/**
 * Finishes deletes cut short (forget/sweep.ts): AIs marked deleted whose documents remain, and
 * memories with a forget task left. Tests run `sweepForgotten` itself (the emulator fires no schedules).
 */
export const forgetSweep = onSchedule(
  { schedule: 'every 10 minutes', region: 'us-central1', timeoutSeconds: 540, memory: '512MiB' },
  async () => {
    const report = await sweepForgotten({ db, log: (message, err) => logger.error(message, err) });
    logger.info('forget sweep', { ...report });
  },
);
