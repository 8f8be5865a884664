/**
 * @module index — the Cloud Functions entry: the only file that builds real dependencies.
 * Exports the HTTP API as the v2 function `api`.
 */
import { initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import { onRequest } from 'firebase-functions/v2/https';
import { logger } from 'firebase-functions/v2';
import { createApp } from './app.js';
import { assertEmulatorsOnlyLocally, projectIdFrom } from '@memory-weaver/core';

assertEmulatorsOnlyLocally(process.env, projectIdFrom(process.env));

initializeApp();
const db = getFirestore();
db.settings({ ignoreUndefinedProperties: false });
const auth = getAuth();

const app = createApp({
  db,
  verifyIdToken: (token) => auth.verifyIdToken(token, true),
  log: { error: (message, fields) => logger.error(message, fields) },
});

export const api = onRequest({ region: 'us-central1', timeoutSeconds: 60, memory: '512MiB' }, app);
