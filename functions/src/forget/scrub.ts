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
  let hit = false;
  const out = (candidates as CandidateDoc[]).map((c) => {
    if (`${jobId}-${String(c.index)}` !== memoryId || c.content === '') return c;
    hit = true;
    return { ...c, content: '', forgotten: true };
  });
  return hit ? out : null;
}
