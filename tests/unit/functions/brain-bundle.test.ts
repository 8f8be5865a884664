/**
 * The `.brain` format /2 without Firestore: the streaming writer's header, records and trailer read
 * back and every alteration refused; sealed bundles as JWE lines, several chunks long, opened only
 * whole, in order and with the passphrase.
 */
import { describe, expect, it } from 'vitest';
import type { BrainRecord } from '@memory-weaver/protocol';
import { ApiError } from '@memory-weaver/core';
import { BundleWriter, type BundleHead } from '../../../functions/src/brain/bundle.js';
import { readBundle } from '../../../functions/src/brain/readBundle.js';
import { CHUNK_BYTES, looksLikeJwe, openBundle, sealLines } from '../../../functions/src/brain/seal.js';

const head: BundleHead = {
  ai: {
    ai_name: 'unit',
    settings: { instructions: '', model: null, context_tokens: 4000 },
    extraction: {
      enabled: false,
      instructions: '',
      target_tier: 'long_term_memory',
      review: false,
      personal_data: 'store',
    },
  },
  embedding: { model: 'test-model', dimensions: 4 },
  include: ['vectors'],
};

const vector = (i: number, size = 4): BrainRecord => ({
  type: 'vector',
  memory_id: `m-${String(i).padStart(6, '0')}`,
  model: 'test-model',
  content_key: `key-${String(i)}`,
  vector: Array.from({ length: size }, (_, k) => (i + k) / 1000),
});

function bundleOf(records: BrainRecord[]): string {
  const w = new BundleWriter();
  return w.header(head) + records.map((r) => w.record(r)).join('') + w.trailer();
}

/** The bundle's lines as an async iterable, as the export hands them over. */
const linesOf = (text: string): AsyncIterable<string> => {
  const lines = text.split(/(?<=\n)/);
  return (async function* () {
    for (const line of lines) yield await Promise.resolve(line);
  })();
};

async function sealed(text: string, passphrase: string): Promise<string> {
  let out = '';
  for await (const line of sealLines(linesOf(text), passphrase)) out += line;
  return out;
}

function reasonOf(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err instanceof ApiError ? (err.details as { reason?: unknown }).reason : err;
  }
  return 'no error';
}

async function reasonOfAsync(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err instanceof ApiError ? (err.details as { reason?: unknown }).reason : err;
  }
  return 'no error';
}

describe('format /2', () => {
  const records = [vector(1), vector(2), vector(3)];
  const text = bundleOf(records);

  it('writes a header, one line per record and a trailer that counts them', () => {
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ type: 'header', format: 'memory-weaver.brain/2' });
    expect(JSON.parse(lines[4] ?? '')).toMatchObject({ type: 'trailer', records: 3, counts: { vectors: 3 } });
    const read = readBundle(text);
    expect(read.records).toEqual(records);
    expect(read.head).toEqual(head);
  });

  it('writes the same bytes for the same records', () => {
    expect(bundleOf(records)).toBe(text);
  });

  it.each([
    ['a record altered', () => text.replace('key-2', 'key-9'), 'digest_mismatch'],
    ['the header altered', () => text.replace('"ai_name":"unit"', '"ai_name":"evil"'), 'digest_mismatch'],
    ['a record removed', () => text.split('\n').toSpliced(2, 1).join('\n'), 'digest_mismatch'],
    ['cut before the trailer', () => text.split('\n').slice(0, 3).join('\n') + '\n', 'truncated'],
    ['cut inside the trailer', () => text.slice(0, -20), 'truncated'],
    ['an unknown version', () => text.replace('memory-weaver.brain/2', 'memory-weaver.brain/3'), 'unsupported_format'],
  ])('refuses a bundle with %s', (_name, make, reason) => {
    expect(reasonOf(() => readBundle(make()))).toBe(reason);
  });
});

describe('sealed (JWE lines)', () => {
  const PASS = 'correct horse battery staple';
  // Records of ~4 KB each, enough of them that the bundle spans at least three chunks.
  const many = Array.from({ length: Math.ceil((2.5 * CHUNK_BYTES) / 3_000) }, (_, i) => vector(i, 600));
  const text = bundleOf(many);

  it('opens to the very same bundle, over several chunks', async () => {
    const jwe = await sealed(text, PASS);
    const lines = jwe.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(4); // the key line and at least three chunks
    expect(looksLikeJwe(jwe)).toBe(true);
    expect(jwe).not.toContain('"content_key"');
    expect(await openBundle(jwe, PASS)).toBe(text);
    expect(readBundle(await openBundle(jwe, PASS)).records).toHaveLength(many.length);
  });

  it('opens a small bundle (one chunk)', async () => {
    const small = bundleOf([vector(1)]);
    const jwe = await sealed(small, PASS);
    expect(jwe.trimEnd().split('\n')).toHaveLength(2);
    expect(await openBundle(jwe, PASS)).toBe(small);
  });

  it('refuses a wrong passphrase, a chunk dropped, chunks swapped, a cut stream and a chunk of another bundle', async () => {
    const jwe = (await sealed(text, PASS)).trimEnd().split('\n');
    const other = (await sealed(text, PASS)).trimEnd().split('\n');
    const join = (lines: string[]) => `${lines.join('\n')}\n`;
    expect(await reasonOfAsync(() => openBundle(join(jwe), 'not the passphrase'))).toBe('decryption_failed');
    expect(await reasonOfAsync(() => openBundle(join(jwe), undefined))).toBe('passphrase_required');
    expect(await reasonOfAsync(() => openBundle(join(jwe.toSpliced(2, 1)), PASS))).toBe('decryption_failed');
    const swapped = [...jwe];
    [swapped[1], swapped[2]] = [jwe[2] as string, jwe[1] as string];
    expect(await reasonOfAsync(() => openBundle(join(swapped), PASS))).toBe('decryption_failed');
    expect(await reasonOfAsync(() => openBundle(join(jwe.slice(0, -1)), PASS))).toBe('truncated');
    const mixed = [...jwe];
    mixed[2] = other[2] as string;
    expect(await reasonOfAsync(() => openBundle(join(mixed), PASS))).toBe('decryption_failed');
  });
});
