/**
 * @module resources/brain — a whole AI as a file: export a `.brain` bundle (NDJSON, or a JWE when a
 * passphrase is given), and import one (or a mem0 dump, or a Letta agent file) into a new AI or
 * into an existing one. The passphrase travels in its own header, never in the URL.
 */
import type { BRAIN_PASSPHRASE_HEADER, ImportReport } from '@memory-weaver/protocol';
import { segment, type Transport } from '../transport.js';
import type { ImportQuery } from '../types.js';

/** The protocol's header name (`typeof` checks the copy): the value would bundle zod. */
const PASSPHRASE: typeof BRAIN_PASSPHRASE_HEADER = 'x-brain-passphrase';

export interface ExportOptions {
  /** Also carry the event log and/or the stored vectors. */
  include?: ('events' | 'vectors')[];
  /** Encrypt the bundle (a compact JWE) with this passphrase. */
  passphrase?: string;
}

/** `mode` (`merge` by default; `dry_run` plans one), `dry_run`, `source` (`brain` by default), `ai_name`. */
export type ImportOptions = ImportQuery & {
  /** The passphrase of an encrypted bundle. */
  passphrase?: string;
};

const passphraseHeader = (passphrase?: string) => (passphrase ? { [PASSPHRASE]: passphrase } : {});

/** The file with its media type: an encrypted bundle is a JWE, mem0 and Letta files are JSON. */
function file(text: string, options: ImportOptions) {
  const type = options.passphrase
    ? 'application/jose'
    : options.source === 'mem0' || options.source === 'letta'
      ? 'application/json'
      : 'application/x-ndjson';
  const { passphrase, ...query } = options;
  // An import is not idempotent (it has no Idempotency-Key): a failure is not sent again.
  return { file: { text, type }, query, headers: passphraseHeader(passphrase), mutation: false, retry: false };
}

export const brainMethods = (t: Transport) => ({
  /** `GET /v1/ais/{ai_uuid}/export`: the bundle's text. */
  exportBrain: (aiUuid: string, options: ExportOptions = {}): Promise<string> =>
    t.text('GET', `/v1/ais/${segment(aiUuid)}/export`, {
      // An empty list is no `include` at all: the API refuses `include=` with nothing in it.
      query: { include: options.include?.length ? options.include.join(',') : undefined },
      headers: passphraseHeader(options.passphrase),
    }),

  /** `POST /v1/ais/import` (administrators): a new AI from the file (201; 200 for a dry run). */
  importBrain: (text: string, options: ImportOptions = {}): Promise<ImportReport> =>
    t.json('POST', '/v1/ais/import', file(text, options)),

  /** `POST /v1/ais/{ai_uuid}/import`: the file's memories into this AI, by `mode`. */
  importIntoAi: (aiUuid: string, text: string, options: ImportOptions = {}): Promise<ImportReport> =>
    t.json('POST', `/v1/ais/${segment(aiUuid)}/import`, file(text, options)),
});
export type BrainMethods = ReturnType<typeof brainMethods>;
