/**
 * @module brain/importBrain — an import: read and verify the file (every digest, the JWE's tag)
 * before anything is written, plan against the AI as it is, then (unless a dry run) make a new AI
 * if asked and carry out the plan.
 */
import type { Firestore } from 'firebase-admin/firestore';
import type { BrainMemoryRecord, BrainSessionRecord, BrainVectorRecord, ImportReport } from '@memory-weaver/protocol';
import { aiRef, ApiError, cipherFor, type AiTarget, type Clock, type Principal } from '@memory-weaver/core';
import { createAi } from '../ai/createAi.js';
import { serviceContext } from '../context.js';
import type { Embedder } from '../embeddings/base.js';
import { portableContentKey, readMemories, readSessions, type ContentKeys } from './collect.js';
import { applyPlan, planSize } from './apply.js';
import { badBundle, sha256Hex, type BundleHead } from './bundle.js';
import { fromLetta, fromMem0, lettaAgentName } from './foreign.js';
import { planImport, type ImportMode, type Present } from './plan.js';
import { ImportProgress } from './progress.js';
import { readBundle } from './readBundle.js';
import { looksLikeJwe, openBundle } from './seal.js';
import { contentKey, vectorsRef } from '../search/vectors.js';

export type ImportSource = 'brain' | 'mem0' | 'letta';

export interface ImportRequest {
  text: string;
  source: ImportSource;
  mode: ImportMode;
  dryRun: boolean;
  passphrase?: string | undefined;
  /** Import into this AI; absent: into a new AI. */
  target?: AiTarget;
  aiName?: string | undefined;
}

export interface ImportDeps {
  db: Firestore;
  clock: Clock;
  embedder: Embedder;
  caller: Principal;
  via: string;
}

interface Parsed {
  memories: BrainMemoryRecord[];
  sessions: BrainSessionRecord[];
  vectors: BrainVectorRecord[];
  /** The bundle's header (or a /1 manifest's same fields); null for mem0 and Letta files. */
  head: BundleHead | null;
  name: string | undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badBundle('invalid_json', 'the file is not JSON');
  }
}

/** The file as records, verified; `importId` names the import in provenance. */
async function parseFile(req: ImportRequest, importId: string, now: string): Promise<Parsed> {
  const actor = { kind: 'import' as const, id: importId };
  if (req.source === 'mem0') {
    return {
      memories: fromMem0(parseJson(req.text), actor, now).records,
      sessions: [],
      vectors: [],
      head: null,
      name: undefined,
    };
  }
  if (req.source === 'letta') {
    const json = parseJson(req.text);
    return {
      memories: fromLetta(json, actor, now).records,
      sessions: [],
      vectors: [],
      head: null,
      name: lettaAgentName(json),
    };
  }
  const text = looksLikeJwe(req.text) ? await openBundle(req.text, req.passphrase) : req.text;
  const { head, records } = readBundle(text);
  return {
    memories: records.filter((r) => r.type === 'memory'),
    sessions: records.filter((r) => r.type === 'session'),
    vectors: records.filter((r) => r.type === 'vector'),
    head,
    name: head.ai.ai_name,
  };
}

async function presentState(db: Firestore, aiUuid: string, viewer: Principal, model: string): Promise<Present> {
  const [memories, sessions, vectors, cipher] = await Promise.all([
    readMemories(db, aiUuid),
    readSessions(db, aiUuid, viewer),
    vectorsRef(db, aiUuid).select('embeddingModel', 'contentKey').get(),
    cipherFor(db, aiUuid),
  ]);
  // Stored keys as a bundle carries them (collect.ts): an encrypted AI's are HMACs under its own key.
  const keys: ContentKeys | null = cipher
    ? new Map(
        memories.map((m) => [m.memory_id, { keyed: contentKey(m.content, cipher), portable: contentKey(m.content) }]),
      )
    : null;
  return {
    memories: new Map(memories.map((m) => [m.memory_id, m])),
    sessions: new Map(sessions.map((s) => [s.session_id, s])),
    vectors: new Map(
      vectors.docs
        .filter((d) => d.get('embeddingModel') === model)
        .map((d) => [d.id, portableContentKey(String(d.get('contentKey')), d.id, keys)]),
    ),
  };
}

const EMPTY: Present = { memories: new Map(), sessions: new Map(), vectors: new Map() };

export async function importBrain(
  deps: ImportDeps,
  req: ImportRequest,
): Promise<{ status: number; report: ImportReport }> {
  const { db, embedder } = deps;
  // Named by the file: importing the same file again is the same import (its writes compare equal).
  const importId = sha256Hex(req.text).slice(0, 24);
  const parsed = await parseFile(req, importId, deps.clock.now().toISOString());
  const sameEmbedding =
    parsed.head !== null &&
    parsed.head.embedding.model === embedder.id &&
    parsed.head.embedding.dimensions === embedder.dimensions;
  const present = req.target ? await presentState(db, req.target.aiUuid, deps.caller, embedder.id) : EMPTY;
  const plan = planImport({ ...parsed, sameEmbedding }, present, req.mode);
  const name = req.target?.aiName ?? req.aiName ?? parsed.name ?? `import-${importId.slice(0, 8)}`;
  const report: ImportReport = {
    ai_uuid: req.target?.aiUuid ?? null,
    ai_name: name,
    source: req.source,
    mode: req.mode,
    dry_run: req.dryRun,
    added: plan.added,
    changed: plan.changed,
    deleted: plan.deleted,
    skipped: plan.skipped,
    counts: {
      added: plan.added.length,
      changed: plan.changed.length,
      deleted: plan.deleted.length,
      skipped: plan.skipped.length,
    },
  };
  if (req.dryRun) return { status: 200, report };

  let target = req.target;
  if (!target) {
    const made = await createAi(
      { db, clock: deps.clock, principal: deps.caller, via: deps.via, record: () => undefined },
      name,
    );
    target = { aiUuid: made.ai_uuid, aiName: made.ai_name };
    report.ai_uuid = made.ai_uuid;
    report.api_key = made.api_key;
    if (parsed.head) {
      const s = parsed.head.ai.settings;
      await aiRef(db, made.ai_uuid).update({
        model: {
          instructions: s.instructions,
          ...(s.model ? { model: s.model } : {}),
          contextTokens: s.context_tokens,
        },
        extraction: parsed.head.ai.extraction,
      });
    }
  }
  const ctx = serviceContext(
    { db, clock: deps.clock },
    { service: 'import', id: importId, aiUuid: target.aiUuid, via: deps.via },
  );
  // An import with nothing to do writes nothing, not even its progress: running it again is a no-op.
  const total = planSize(plan);
  if (total === 0) return { status: req.target ? 200 : 201, report };
  const progress = new ImportProgress(ctx, target.aiUuid, importId, total);
  try {
    await progress.started();
    await applyPlan(ctx, target, plan, embedder.id, progress);
    await progress.finished(report.counts);
  } catch (err) {
    await progress.failed(err instanceof ApiError ? err.code : 'internal');
    if (req.target) throw err;
    // The new AI exists now: say which, so a retry into it completes the import.
    const code = err instanceof ApiError ? err.code : 'unavailable';
    throw new ApiError(
      code,
      `the import into the new AI ${target.aiUuid} stopped half-way: run it again with POST /v1/ais/${target.aiUuid}/import (mode merge) to complete it`,
      { ai_uuid: target.aiUuid },
    );
  }
  return { status: req.target ? 200 : 201, report };
}
