/**
 * @module forget/scrub — how each kind of document forgets a memory: the one place that says
 * which fields carry content, so that the delete's commit and the later finishing write the same.
 */
import { FieldValue, type UpdateData, type DocumentData } from 'firebase-admin/firestore';

/**
 * A forgotten event keeps what the stream needs (seq, type, ids, tiers, time, actor, via) so the
 * log's numbering and order stay whole, and loses what carried the memory: its snapshot and the
 * candidate text an extraction may have attached.
 */
export const EVENT_SCRUB: UpdateData<DocumentData> = {
  memory: null,
  forgotten: true,
  'extraction.candidate': FieldValue.delete(),
};

/**
 * An Idempotency-Key record whose stored answer showed the memory: the answer (encrypted with the
 * caller's key, which the server doesn't keep) is dropped, the fingerprint stays, so a retry is
 * told the memory was deleted (http/idempotency.ts) instead of running again and bringing it back.
 */
export const recordScrub = (memoryId: string): UpdateData<DocumentData> => ({
  payload: FieldValue.delete(),
  forgotten: true,
  memoryIds: FieldValue.arrayRemove(memoryId),
  forgottenIds: FieldValue.arrayUnion(memoryId),
});

/** A review item that proposed superseding the memory: the proposal stays, the memory's text goes. */
export const REVIEW_SCRUB: UpdateData<DocumentData> = { targetId: null, targetContent: null };

interface CandidateDoc {
  index: number;
  content: string;
  [field: string]: unknown;
}

/**
 * An extraction job's candidates with the one that became `memoryId` emptied (an extracted memory's
 * id is `{jobId}-{index}`), or null when none did.
 */
export function scrubCandidates(jobId: string, memoryId: string, candidates: unknown): CandidateDoc[] | null {
  if (!Array.isArray(candidates)) return null;
  const list = candidates as CandidateDoc[];
  const hit = (c: CandidateDoc) => `${jobId}-${String(c.index)}` === memoryId && c.content !== '';
  if (!list.some(hit)) return null;
  return list.map((c) => (hit(c) ? { ...c, content: '', forgotten: true } : c));
}
