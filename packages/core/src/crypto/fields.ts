/**
 * @module crypto/fields — which fields of which documents under an AI are sealed, and the one
 * place that seals them on write and opens them on read.
 *
 * The table is by path (relative to `ai_registry/{ai}`), so a writer never names a field to
 * encrypt: a change that goes through runChange, or a transaction wrapped by `sealingTransaction`,
 * seals whatever it writes to these fields. Whole values are sealed (a memory's metadata object,
 * an event's memory snapshot) rather than each leaf: metadata keys are memory text too, and the
 * app filters metadata after reading (nothing queries inside these fields).
 */
import {
  FieldValue,
  type DocumentData,
  type DocumentReference,
  type DocumentSnapshot,
  type Transaction,
  type WriteBatch,
} from 'firebase-admin/firestore';
import { MEMORY_TYPES } from '@memory-weaver/protocol';
import { AI_REGISTRY, EVENTS } from '../paths.js';
import { openField, type AiCipher } from './cipher.js';
import { isSealed } from './sealed.js';

const TIERS = MEMORY_TYPES.join('|');
/** [path under the AI, sealed fields]. */
const TABLE: [RegExp, readonly string[]][] = [
  [new RegExp(`^(${TIERS})/[^/]+$`), ['content', 'metadata']],
  [new RegExp(`^${EVENTS}/[^/]+$`), ['memory']],
  [/^versions\/[^/]+$/, ['memory']],
  // The session's name, and the latest rejected summary's facts (consolidation/summaries/state.ts).
  [/^chat_sessions\/[^/]+$/, ['name', 'summaryRejectionFacts']],
  [/^chat_sessions\/[^/]+\/chats\/[^/]+$/, ['message', 'response']],
  // Extraction's copies of an exchange (extraction/jobs.ts) and its review items (extraction/review.ts).
  [/^extractions\/[^/]+$/, ['messages', 'injected', 'candidates']],
  [/^review\/[^/]+$/, ['content', 'targetContent', 'sourceText']],
  // A summary job's outcome: the facts a rejected summary dropped (consolidation/summaries/jobs.ts).
  [/^summary_jobs\/[^/]+$/, ['dropped', 'missing']],
];

const PREFIX = new RegExp(`^${AI_REGISTRY}/([^/]+)/(.+)$`);

/** The AI a document belongs to and its sealed fields (none for a document outside the table). */
export function sealedFieldsOf(docPath: string): { aiUuid: string; fields: readonly string[] } | null {
  const m = PREFIX.exec(docPath);
  if (!m) return null;
  const rest = m[2] as string;
  for (const [pattern, fields] of TABLE) if (pattern.test(rest)) return { aiUuid: m[1] as string, fields };
  return null;
}

/** The words of a text as search matches them (functions' search/keywords.ts `tokenize`). */
export type Tokenizer = (text: string) => string[];
/** At most this many distinct terms per memory in its blind index (`array-contains-any` reads them). */
const MAX_TERMS = 500;
const TIER_DOC = new RegExp(`^${AI_REGISTRY}/[^/]+/(${TIERS})/[^/]+$`);

/**
 * `data` with its sealed fields sealed; FieldValue sentinels (a delete) pass as they are. With a
 * tokenizer, a memory whose content is sealed also gets `terms`: the keyed hashes of its distinct
 * stems (the blind index, see README.md), which Firestore can match without the plaintext.
 */
export function sealDoc<T extends DocumentData>(
  cipher: AiCipher | null,
  docPath: string,
  data: T,
  tokenize?: Tokenizer,
): T {
  const spec = sealedFieldsOf(docPath);
  if (!cipher || !spec) return data;
  const out: DocumentData = { ...data };
  const content: unknown = data.content;
  if (tokenize && typeof content === 'string' && TIER_DOC.test(docPath)) {
    out.terms = [...new Set(tokenize(content))].slice(0, MAX_TERMS).map((s) => cipher.term(s));
  }
  for (const f of spec.fields) {
    const v: unknown = out[f];
    if (v === undefined || v === null || v instanceof FieldValue || isSealed(v)) continue;
    out[f] = cipher.seal(v, docPath, f);
  }
  return out as T;
}

/** `data` with its sealed fields opened; plaintext fields pass (documents stored before encryption). */
export function openDoc(cipher: AiCipher | null, docPath: string, data: DocumentData): DocumentData {
  const spec = sealedFieldsOf(docPath);
  if (!spec) return data;
  let out: DocumentData | undefined;
  for (const f of spec.fields) {
    const v: unknown = data[f];
    if (!isSealed(v)) continue;
    out ??= { ...data };
    out[f] = openField(cipher, spec.aiUuid, v, docPath, f);
  }
  return out ?? data;
}

/** The key versions the sealed fields of `data` name (to load a cipher that can open them all). */
export function keyVersionsOf(docPath: string, data: DocumentData | undefined): number[] {
  const spec = sealedFieldsOf(docPath);
  if (!spec || !data) return [];
  const out: number[] = [];
  for (const f of spec.fields) {
    const v: unknown = data[f];
    if (isSealed(v)) out.push(v.kv);
  }
  return out;
}

/** Whether every sealed field of `data` is sealed with `kv` (false for plaintext in one). */
export function sealedWith(docPath: string, data: DocumentData, kv: number): boolean {
  const spec = sealedFieldsOf(docPath);
  if (!spec) return true;
  return spec.fields.every((f) => {
    const v: unknown = data[f];
    return v === undefined || v === null || (isSealed(v) && v.kv === kv);
  });
}

/**
 * A transaction (or a runChange stand-in, or a WriteBatch) that seals every write to a sealed field
 * with `cipher`; reads pass through. With no cipher (an AI without a data key) it is `tx` itself.
 */
export function sealingTransaction<T extends Transaction | WriteBatch>(
  tx: T,
  cipher: AiCipher | null,
  tokenize?: Tokenizer,
): T {
  if (!cipher) return tx;
  return new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop === 'create' || prop === 'set' || prop === 'update') {
        return (ref: DocumentReference, data: unknown, ...rest: unknown[]) => {
          const sealed =
            data !== null && typeof data === 'object'
              ? sealDoc(cipher, ref.path, data as DocumentData, tokenize)
              : data;
          (target[prop] as unknown as (...args: unknown[]) => unknown).call(target, ref, sealed, ...rest);
          return receiver as T;
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * A snapshot whose `data()` and `get()` give the opened fields; anything else is the snapshot's own.
 * (A prototype link rather than a copy: the snapshot's other members keep working unchanged.)
 */
export function openSnapshot<S extends DocumentSnapshot>(cipher: AiCipher | null, snap: S): S {
  const data = snap.data();
  if (!data) return snap;
  const opened = openDoc(cipher, snap.ref.path, data);
  if (opened === data) return snap;
  return Object.create(snap, {
    data: { value: () => ({ ...opened }) },
    get: { value: (field: string) => (field in opened ? opened[field] : snap.get(field)) as unknown },
  }) as S;
}
