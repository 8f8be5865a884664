/**
 * @module brain/bundle — writing a `.brain` bundle (format /2) one line at a time: the header, each
 * record as it is read, then the trailer with the counts and the SHA-256 of every byte before it.
 * The writer keeps a running hash and the counts, nothing per record, so its memory doesn't grow
 * with the AI. Pure: no Firestore, no clock.
 */
import { createHash, type Hash } from 'node:crypto';
import {
  BRAIN_FORMAT,
  MEMORY_TYPES,
  type BrainCounts,
  type BrainHeader,
  type BrainRecord,
  type BrainTrailer,
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

export type BundleHead = Omit<BrainHeader, 'type' | 'format'>;

export const emptyCounts = (): BrainCounts => ({
  memories: Object.fromEntries(MEMORY_TYPES.map((t) => [t, 0])) as BrainCounts['memories'],
  versions: 0,
  sessions: 0,
  turns: 0,
  events: 0,
  vectors: 0,
});

/** Adds one record to the counts. */
export function count(counts: BrainCounts, r: BrainRecord): void {
  if (r.type === 'memory') {
    counts.memories[r.memory.memory_type] += 1;
    counts.versions += r.versions.length;
  } else if (r.type === 'session') {
    counts.sessions += 1;
    counts.turns += r.turns.length;
  } else if (r.type === 'event') counts.events += 1;
  else counts.vectors += 1;
}

/** Turns the header, then each record, then the end into the bundle's lines (each ending in "\n"). */
export class BundleWriter {
  private readonly hash: Hash = createHash('sha256');
  private readonly counts = emptyCounts();
  private records = 0;

  header(head: BundleHead): string {
    const header: BrainHeader = { type: 'header', format: BRAIN_FORMAT, ...head };
    return this.hashed(`${canonicalJson(header)}\n`);
  }

  record(r: BrainRecord): string {
    count(this.counts, r);
    this.records += 1;
    return this.hashed(`${canonicalJson(r)}\n`);
  }

  trailer(): string {
    const trailer: BrainTrailer = {
      type: 'trailer',
      records: this.records,
      counts: this.counts,
      sha256: this.hash.digest('hex'),
    };
    return `${canonicalJson(trailer)}\n`;
  }

  private hashed(line: string): string {
    this.hash.update(line, 'utf8');
    return line;
  }
}

/** A bundle that can't be taken: 400 with the envelope, `details.reason` saying which check failed. */
export const badBundle = (reason: string, message: string, details: Record<string, unknown> = {}): ApiError =>
  new ApiError('invalid_argument', message, { reason, ...details });
