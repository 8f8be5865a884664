/**
 * `npm run backfill-embeddings`: stores a vector of the configured
 * embedder (MW_EMBEDDER, default the offline model) for every memory without one for its content. Against the emulators when
 * FIRESTORE_EMULATOR_HOST is set (e.g. `npm run emulators -- npm run backfill-embeddings`),
 * otherwise against the project of GCLOUD_PROJECT with Application Default Credentials.
 * Give AI UUIDs as arguments to backfill only those AIs.
 */
import OpenAI from 'openai';
import { initializeApp } from 'firebase-admin/app';
import { getFirestore } from 'firebase-admin/firestore';
import { loadConfig } from '../functions/src/config.js';
import { createLocalEmbedder } from '../functions/src/embeddings/local.js';
import { createOpenAIEmbedder } from '../functions/src/embeddings/openai.js';
import { backfillEmbeddings } from '../functions/src/maintenance/backfillEmbeddings.js';
import { localKekEnv, PROJECT_ID } from './emulator-env.mjs';

// Memories are sealed at rest (packages/core/src/crypto/): opening them takes the KEK. Against the
// emulators the scripts' public dev key is the one they were sealed with (`npm run emulators` and
// `npm start` give it); never elsewhere, where MW_KMS_KEY must be set.
const projectId = process.env.GCLOUD_PROJECT ?? PROJECT_ID;
if (process.env.FIRESTORE_EMULATOR_HOST && !process.env.MW_KMS_KEY && projectId.startsWith('demo-')) {
  Object.assign(process.env, localKekEnv(), { GCLOUD_PROJECT: projectId });
}
const config = loadConfig(process.env);
const db = getFirestore(initializeApp({ projectId }));
const embedder =
  config.embedder === 'openai' && config.llm.apiKey
    ? createOpenAIEmbedder(
        new OpenAI({ apiKey: config.llm.apiKey, ...(config.llm.baseURL ? { baseURL: config.llm.baseURL } : {}) }),
        config.embeddingModel,
      )
    : createLocalEmbedder();
const only = process.argv.slice(2);
const result = await backfillEmbeddings(db, embedder, (line) => console.log(line), only.length > 0 ? only : undefined);
console.log(`backfill done with ${embedder.id}: ${result.updated} of ${result.scanned} memories updated`);
process.exit(0);
