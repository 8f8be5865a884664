/**
 * @module brain/bundle — a `.brain` bundle's text: written from records, and read back with every
 * digest checked before a single record is believed. Pure: no Firestore, no clock.
 */
import { createHash } from 'node:crypto';
import {
  BRAIN_FORMAT,
  BrainManifestSchema,
  BrainRecordSchema,
  type BrainManifest,
  type BrainRecord,
} from '@memory-weaver/protocol';
import { ApiError } from '@memory-weaver/core';

/** JSON with object keys sorted at every depth: the same record always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export type ManifestHead = Omit<BrainManifest, 'type' | 'format' | 'records' | 'digests' | 'sha256'>;

/** The bundle: the manifest line, then one canonical line per record, each ending in "\n". */
export function writeBundle(head: ManifestHead, records: BrainRecord[]): string {
  const lines = records.map(canonicalJson);
  const body = lines.map((l) => `${l}\n`).join('');
  const manifest: BrainManifest = {
    type: 'manifest',
    format: BRAIN_FORMAT,
    ...head,
    records: lines.length,
    digests: lines.map(sha256Hex),
    sha256: sha256Hex(body),
  };
  return `${canonicalJson(manifest)}\n${body}`;
}

/** A bundle that can't be taken: 400 with the envelope, `details.reason` saying which check failed. */
export const badBundle = (reason: string, message: string, details: Record<string, unknown> = {}): ApiError =>
  new ApiError('invalid_argument', message, { reason, ...details });

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads and verifies a bundle: format version, record count, every digest, the whole digest, every record's schema. */
export function readBundle(text: string): { manifest: BrainManifest; records: BrainRecord[] } {
  const firstBreak = text.indexOf('\n');
  const head = parseLine(firstBreak === -1 ? text : text.slice(0, firstBreak));
  if (!head || typeof head !== 'object' || (head as { type?: unknown }).type !== 'manifest') {
    if (firstBreak === -1 && text.trimStart().startsWith('{"'))
      throw badBundle('truncated', 'the bundle ends inside its manifest: it was cut short');
    throw badBundle('not_a_bundle', 'this is not a .brain bundle: its first line must be the manifest');
  }
  const format = (head as { format?: unknown }).format;
  if (format !== BRAIN_FORMAT) {
    throw badBundle(
      'unsupported_format',
      `unknown bundle format ${JSON.stringify(format)}: this server reads ${BRAIN_FORMAT}`,
      {
        format: typeof format === 'string' ? format : null,
        supported: [BRAIN_FORMAT],
      },
    );
  }
  const parsed = BrainManifestSchema.safeParse(head);
  if (!parsed.success) throw badBundle('invalid_manifest', 'the bundle manifest does not match the format');
  const manifest = parsed.data;
  if (manifest.digests.length !== manifest.records) {
    throw badBundle('digest_mismatch', 'the manifest lists a digest count different from its record count');
  }
  const body = text.slice(firstBreak + 1);
  // Every record line ends in "\n": a body that doesn't was cut inside its last line.
  const lines = body === '' ? [] : body.split('\n');
  const complete = body === '' || body.endsWith('\n');
  if (complete) lines.pop();
  if (!complete || lines.length < manifest.records) {
    throw badBundle(
      'truncated',
      `the bundle holds ${String(complete ? lines.length : lines.length - 1)} of its ${String(manifest.records)} records: it was cut short`,
      {
        expected_records: manifest.records,
      },
    );
  }
  if (lines.length > manifest.records)
    throw badBundle('digest_mismatch', 'the bundle holds more records than its manifest lists');
  for (const [i, line] of lines.entries()) {
    if (sha256Hex(line) !== manifest.digests[i]) {
      throw badBundle(
        'digest_mismatch',
        `record ${String(i + 1)} does not match its SHA-256 in the manifest: the bundle was altered`,
        { record: i + 1 },
      );
    }
  }
  if (sha256Hex(body) !== manifest.sha256) throw badBundle('digest_mismatch', 'the bundle does not match its SHA-256');
  const records = lines.map((line, i) => {
    const r = BrainRecordSchema.safeParse(parseLine(line));
    if (!r.success)
      throw badBundle('invalid_record', `record ${String(i + 1)} does not match the format`, { record: i + 1 });
    return r.data;
  });
  return { manifest, records };
}
