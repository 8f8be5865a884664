/**
 * @module brain/readBundle — a `.brain` bundle's text read back, every digest checked before a
 * single record is believed: format /2 (header, records, trailer) and format /1 (manifest with
 * every record's digest, then records), which older exports are. Pure: no Firestore, no clock.
 */
import {
  BRAIN_FORMAT,
  BRAIN_FORMAT_V1,
  BRAIN_FORMATS,
  BrainHeaderSchema,
  BrainManifestSchema,
  BrainRecordSchema,
  BrainTrailerSchema,
  type BrainRecord,
} from '@memory-weaver/protocol';
import { badBundle, sha256Hex, type BundleHead } from './bundle.js';

export interface ReadBundle {
  format: (typeof BRAIN_FORMATS)[number];
  head: BundleHead;
  records: BrainRecord[];
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

export const unsupported = (format: unknown) =>
  badBundle(
    'unsupported_format',
    `unknown bundle format ${JSON.stringify(format)}: this server reads ${BRAIN_FORMATS.join(' and ')}`,
    { format: typeof format === 'string' ? format : null, supported: [...BRAIN_FORMATS] },
  );

/** The text's lines; `complete` is false when the last one lacks its "\n" (the text was cut inside it). */
function linesOf(text: string): { lines: string[]; complete: boolean } {
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  if (complete) lines.pop();
  return { lines, complete };
}

function parseRecords(lines: string[]): BrainRecord[] {
  return lines.map((line, i) => {
    const r = BrainRecordSchema.safeParse(parseLine(line));
    if (!r.success)
      throw badBundle('invalid_record', `record ${String(i + 1)} does not match the format`, { record: i + 1 });
    return r.data;
  });
}

export function readBundle(text: string): ReadBundle {
  const firstBreak = text.indexOf('\n');
  const head = parseLine(firstBreak === -1 ? text : text.slice(0, firstBreak));
  const type = head && typeof head === 'object' ? (head as { type?: unknown }).type : undefined;
  if (type !== 'header' && type !== 'manifest') {
    if (firstBreak === -1 && text.trimStart().startsWith('{"'))
      throw badBundle('truncated', 'the bundle ends inside its first line: it was cut short');
    throw badBundle('not_a_bundle', 'this is not a .brain bundle: its first line must be its header');
  }
  const format = (head as { format?: unknown }).format;
  if (type === 'header' && format === BRAIN_FORMAT) return readV2(text);
  if (type === 'manifest' && format === BRAIN_FORMAT_V1) return readV1(text, firstBreak);
  throw unsupported(format);
}

/** Format /2: the trailer, last, holds the record count and the SHA-256 of every line before it. */
function readV2(text: string): ReadBundle {
  const { lines, complete } = linesOf(text);
  const header = BrainHeaderSchema.safeParse(parseLine(lines[0] ?? ''));
  if (!header.success) throw badBundle('invalid_header', 'the bundle header does not match the format');
  const last = complete && lines.length > 1 ? parseLine(lines.at(-1) ?? '') : undefined;
  if (!last || typeof last !== 'object' || (last as { type?: unknown }).type !== 'trailer') {
    throw badBundle('truncated', 'the bundle has no trailer: it was cut short', {
      lines: complete ? lines.length : lines.length - 1,
    });
  }
  const trailer = BrainTrailerSchema.safeParse(last);
  if (!trailer.success) throw badBundle('invalid_trailer', 'the bundle trailer does not match the format');
  const body = lines.slice(1, -1);
  if (body.length !== trailer.data.records) {
    throw badBundle(
      'digest_mismatch',
      `the bundle holds ${String(body.length)} records and its trailer says ${String(trailer.data.records)}: it was altered`,
      { expected_records: trailer.data.records },
    );
  }
  const signed = text.slice(0, text.length - (lines.at(-1) ?? '').length - 1);
  if (sha256Hex(signed) !== trailer.data.sha256)
    throw badBundle('digest_mismatch', 'the bundle does not match its SHA-256: it was altered');
  const { type: _t, format: _f, ...rest } = header.data;
  return { format: BRAIN_FORMAT, head: rest, records: parseRecords(body) };
}

/** Format /1: the manifest, first, holds every record's digest and the SHA-256 of the record lines. */
function readV1(text: string, firstBreak: number): ReadBundle {
  const parsed = BrainManifestSchema.safeParse(parseLine(text.slice(0, firstBreak)));
  if (!parsed.success) throw badBundle('invalid_manifest', 'the bundle manifest does not match the format');
  const manifest = parsed.data;
  if (manifest.digests.length !== manifest.records) {
    throw badBundle('digest_mismatch', 'the manifest lists a digest count different from its record count');
  }
  const body = text.slice(firstBreak + 1);
  const { lines, complete } = body === '' ? { lines: [], complete: true } : linesOf(body);
  if (!complete || lines.length < manifest.records) {
    throw badBundle(
      'truncated',
      `the bundle holds ${String(complete ? lines.length : lines.length - 1)} of its ${String(manifest.records)} records: it was cut short`,
      { expected_records: manifest.records },
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
  return {
    format: BRAIN_FORMAT_V1,
    head: { ai: manifest.ai, embedding: manifest.embedding, include: manifest.include },
    records: parseRecords(lines),
  };
}
