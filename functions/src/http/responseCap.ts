/**
 * @module http/responseCap — caps how much a listing answers at once.
 *
 * A tier may hold memories of 100,000 characters, and the seed's `retrieve_memories` may ask for
 * 500 of them: 50 MB in one answer. A listing (an object whose `memories`, `events` or `results`
 * array is what it lists) keeps its items in order until their JSON reaches the byte budget, and
 * always keeps the first. When it stops early it says so in fields older clients ignore:
 * `truncated: true`, a corrected `count` where there is one, and a `next_cursor` that continues
 * right after the last item kept:
 *
 * - memories: a cursor for `GET /v1/ais/{ai_uuid}/memories/{memory_type}?cursor=…` (the seed's
 *   `retrieve_memories` takes no cursor, so its clients continue there, with the same filter);
 * - events: the last event id kept, which is what `?after=` takes;
 * - search results are ranked, not paged: they are only cut, and say `truncated: true`.
 *
 * This sits at the edge because it is about the wire, not about what a use case found; the price
 * is rebuilding a memory cursor from the memory (its creation time is stored with millisecond
 * precision, as the API writes it, so the ISO time converts back exactly).
 */
import { Timestamp } from 'firebase-admin/firestore';
import { encodeCursor } from '@memory-weaver/core';

type Listed = 'memories' | 'events' | 'results';

/** How a listing continues after a given item; null where it can't. */
const CONTINUE: Record<Listed, (item: Record<string, unknown>) => string | null> = {
  memories: (m) => {
    const at = typeof m.created_at === 'string' ? Date.parse(m.created_at) : NaN;
    return Number.isNaN(at) || typeof m.memory_id !== 'string'
      ? null
      : encodeCursor(Timestamp.fromMillis(at), m.memory_id);
  },
  events: (e) => (typeof e.event_id === 'string' ? e.event_id : null),
  results: () => null,
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The body as it may be sent: unchanged when it is not a listing or fits the budget. */
export function capResponse(body: unknown, maxBytes: number): unknown {
  if (!isRecord(body)) return body;
  const field = (Object.keys(CONTINUE) as Listed[]).find((f) => Array.isArray(body[f]));
  if (!field) return body;
  const items = body[field] as unknown[];
  let bytes = 0;
  let kept = 0;
  for (const item of items) {
    bytes += Buffer.byteLength(JSON.stringify(item));
    if (kept > 0 && bytes > maxBytes) break;
    kept += 1;
  }
  if (kept === items.length) return body;
  const last = items[kept - 1];
  const capped: Record<string, unknown> = { ...body, [field]: items.slice(0, kept), truncated: true };
  if (typeof body.count === 'number') capped.count = kept;
  if (field !== 'results') capped.next_cursor = isRecord(last) ? CONTINUE[field](last) : null;
  return capped;
}
