/**
 * @module routes/brain — `.brain` export and import (functions/src/brain/README.md). An export is
 * streamed as it is read; an import reads its file whole (the platform's request limit bounds it).
 *
 * Mounted before the app's JSON body parser: an import's body is the file itself (NDJSON, a JWE,
 * or a mem0 / Letta JSON file), read here as text up to its own limit. The passphrase comes in a
 * header and goes nowhere else: not into the URL, a log line or an error.
 */
import type { Request, Response } from 'express';
import { Router } from 'express';
import { z } from 'zod';
import { AiUuidSchema, BRAIN_PASSPHRASE_HEADER, ExportQuerySchema, ImportQuerySchema } from '@memory-weaver/protocol';
import { ApiError, openAi, requireAdmin } from '@memory-weaver/core';
import type { Embedder } from '../embeddings/base.js';
import { exportBrain } from '../brain/exportBrain.js';
import { importBrain } from '../brain/importBrain.js';
import { MIN_PASSPHRASE_CHARS } from '../brain/seal.js';
import { authenticated, type RouteDeps } from '../http/route.js';
import { parse } from '../http/validate.js';

const AiPath = z.object({ ai_uuid: AiUuidSchema });
/** The largest file an import takes (the Functions platform's own request limit is 32 MiB). */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

function passphraseOf(req: Request): string | undefined {
  const value = req.get(BRAIN_PASSPHRASE_HEADER);
  if (value === undefined) return undefined;
  if (value.length < MIN_PASSPHRASE_CHARS) {
    throw new ApiError('invalid_argument', `a passphrase has at least ${String(MIN_PASSPHRASE_CHARS)} characters`, {
      header: BRAIN_PASSPHRASE_HEADER,
    });
  }
  return value;
}

/** The request body as UTF-8 text: the platform's parsed bytes (Cloud Functions) or the stream. */
async function bodyText(req: Request): Promise<string> {
  const raw = (req as { rawBody?: unknown }).rawBody;
  let bytes: Buffer;
  if (Buffer.isBuffer(raw)) bytes = raw;
  else {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_IMPORT_BYTES) break;
      chunks.push(chunk);
    }
    bytes = Buffer.concat(chunks);
    if (size > MAX_IMPORT_BYTES) bytes = Buffer.alloc(MAX_IMPORT_BYTES + 1);
  }
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw new ApiError('payload_too_large', `the file is larger than ${String(MAX_IMPORT_BYTES)} bytes`, {
      max_bytes: MAX_IMPORT_BYTES,
    });
  }
  if (bytes.length === 0) throw new ApiError('invalid_argument', 'send the file to import as the request body');
  return bytes.toString('utf8');
}

/** Bytes gathered before a write: fewer, larger writes than one per record. */
const WRITE_BYTES = 64 * 1024;

/**
 * Sends `lines` as they come, waiting when the client reads slower than Firestore (backpressure),
 * so no more than a write's worth waits in memory. The status and headers go with the first write:
 * a failure before it (the first page's read, say) is still an ordinary error answer; a failure
 * after it cuts the connection (http/errors.ts), and the bundle, without its trailer, is refused
 * as truncated by any import.
 */
async function stream(res: Response, lines: AsyncIterable<string>, start: () => void): Promise<void> {
  let pending = '';
  let started = false;
  const write = async (text: string) => {
    if (!started) {
      start();
      started = true;
    }
    if (!res.write(text)) await drainedOrClosed(res);
  };
  for await (const line of lines) {
    pending += line;
    if (pending.length >= WRITE_BYTES) {
      await write(pending);
      pending = '';
      // The client went away: stop reading Firestore for nobody.
      if (res.destroyed) return;
    }
  }
  await write(pending);
  res.end();
}

/** Resolves when the response can take more, or when its connection closed (a 'drain' would never come). */
function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export interface BrainRouteDeps {
  embedder: Embedder;
}

export function brainRoutes(deps: RouteDeps, x: BrainRouteDeps): Router {
  const r = Router();
  const { db } = deps;

  r.get(
    '/ais/:ai_uuid/export',
    authenticated(deps, async (req, res, principal) => {
      const path = parse(AiPath, req.params, 'path');
      const q = parse(ExportQuerySchema, req.query, 'query');
      const passphrase = passphraseOf(req);
      const target = await openAi(db, principal, path.ai_uuid);
      const include = new Set((q.include ?? '').split(','));
      const bundle = await exportBrain(db, x.embedder, {
        aiUuid: target.aiUuid,
        viewer: principal,
        include: { events: include.has('events'), vectors: include.has('vectors') },
        passphrase,
      });
      const file = `${target.aiName.replace(/[^A-Za-z0-9_.-]/g, '_')}.brain`;
      await stream(res, bundle.lines, () =>
        res
          .status(200)
          .set('content-type', bundle.contentType)
          .set('content-disposition', `attachment; filename="${file}"`)
          .set('cache-control', 'no-store'),
      );
    }),
  );

  const runImport = (into: 'new' | 'existing') =>
    authenticated(deps, async (req, res, principal) => {
      const q = parse(ImportQuerySchema, req.query, 'query');
      const path = into === 'existing' ? parse(AiPath, req.params, 'path') : null;
      const passphrase = passphraseOf(req);
      if (into === 'new') requireAdmin(principal);
      const target = path ? await openAi(db, principal, path.ai_uuid) : undefined;
      const text = await bodyText(req);
      const mode = q.mode === undefined || q.mode === 'dry_run' ? 'merge' : q.mode;
      const { status, report } = await importBrain(
        {
          db,
          clock: deps.clock,
          embedder: x.embedder,
          caller: principal,
          via: into === 'new' ? 'POST /v1/ais/import' : 'POST /v1/ais/:ai_uuid/import',
        },
        {
          text,
          source: q.source ?? 'brain',
          mode,
          dryRun: q.mode === 'dry_run' || q.dry_run === 'true',
          passphrase,
          ...(target ? { target } : {}),
          aiName: q.ai_name,
        },
      );
      res.status(status).json(report);
    });
  r.post('/ais/import', runImport('new'));
  r.post('/ais/:ai_uuid/import', runImport('existing'));
  return r;
}
