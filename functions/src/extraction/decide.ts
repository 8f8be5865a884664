/**
 * @module extraction/decide — what to do with one candidate that passed the gate: add it, count it
 * as a duplicate of a stored memory, or let it supersede one. The neighbours are the nearest
 * memories of the target tier by meaning and words (the AI's index, exact as of the latest change,
 * so an earlier candidate of the same job is already there). Two shortcuts keep the model out of
 * the obvious cases: no close neighbour means `add`, and a neighbour saying the same words means
 * `duplicate`. The model's choice of target must be one of the neighbours it was shown.
 */
import type { MemoryType } from '@memory-weaver/protocol';
import type { ChatModel } from '../llm/base.js';
import { searchMemories, type SearchDeps } from '../search/searchMemories.js';
import { decideFacts } from './model.js';

/** How many neighbours the model sees per candidate. */
const NEIGHBOURS = 5;
/** A neighbour closer than this in meaning is worth showing even with no word in common. */
const MIN_SIMILARITY = 0.55;

export type Plan =
  { action: 'add' } | { action: 'duplicate'; targetId: string } | { action: 'supersede'; targetId: string };

export const normalise = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

export async function planCandidate(
  deps: SearchDeps & { chat: ChatModel },
  req: { aiUuid: string; model: string; tier: MemoryType; index: number; content: string; subject: string },
  signal: AbortSignal,
): Promise<Plan> {
  const hits = await searchMemories(deps, req.aiUuid, [req.tier], req.content, { mode: 'hybrid', limit: NEIGHBOURS });
  const neighbours = hits.filter((h) => h.keywordScore !== null || (h.vectorSimilarity ?? 0) >= MIN_SIMILARITY);
  if (neighbours.length === 0) return { action: 'add' };
  const same = neighbours.find((h) => normalise(h.memory.content) === normalise(req.content));
  if (same) return { action: 'duplicate', targetId: same.memory.memory_id };
  const [decision] = await decideFacts(
    deps.chat,
    {
      aiUuid: req.aiUuid,
      model: req.model,
      facts: [
        {
          index: req.index,
          content: req.content,
          subject: req.subject,
          neighbours: neighbours.map((h) => ({ id: h.memory.memory_id, content: h.memory.content })),
        },
      ],
    },
    signal,
  );
  if (!decision || decision.action === 'add') return { action: 'add' };
  const target = neighbours.find((h) => h.memory.memory_id === decision.target);
  // A target the model made up (or none) can't be superseded or confirmed: the fact is added.
  if (!target) return { action: 'add' };
  return { action: decision.action, targetId: target.memory.memory_id };
}
