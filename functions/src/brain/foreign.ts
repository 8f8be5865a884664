/**
 * @module brain/foreign — other systems' memory dumps as bundle records (mapping: README.md).
 *
 * - mem0 `get_all` (`{ results: [...] }` or a bare list): each memory → long_term_memory, its
 *   metadata kept, mem0's own fields (id, user/agent/run/app id, hash, categories) under `mem0`.
 * - Letta agent file (`.af`): core memory blocks → personal_logs for the `persona` block (the
 *   agent's own self-description), long_term_memory for every other block (`human`…); archival
 *   passages → archive. Messages, tools and sources are not memory and are not imported.
 *
 * Ids are derived from the source's ids (or the content's SHA-256 when it has none), so importing
 * the same file twice writes each memory once.
 */
import { z } from 'zod';
import {
  ContentSchema,
  MetadataSchema,
  type Actor,
  type BrainMemoryRecord,
  type Memory,
  type MemoryType,
} from '@memory-weaver/protocol';
import { badBundle, sha256Hex } from './bundle.js';

export interface ForeignResult {
  records: BrainMemoryRecord[];
  /** Entries that can't be memories here (empty, too long), by source id. */
  invalid: string[];
}

const safeId = (prefix: string, id: unknown, content: string): string => {
  const raw = typeof id === 'string' || typeof id === 'number' ? String(id) : sha256Hex(content).slice(0, 32);
  return `${prefix}-${raw.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 128);
};

const isoOr = (value: unknown, fallback: string): string => {
  if (typeof value !== 'string' && typeof value !== 'number') return fallback;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? fallback : d.toISOString();
};

/** Drops null and undefined values: metadata keeps what the source said. */
const defined = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

interface Draft {
  id: string;
  tier: MemoryType;
  content: unknown;
  metadata: Record<string, unknown>;
  createdAt: unknown;
  updatedAt: unknown;
}

function toRecords(drafts: Draft[], actor: Actor, source: string, now: string): ForeignResult {
  const records: BrainMemoryRecord[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  for (const d of drafts) {
    const content = ContentSchema.safeParse(d.content);
    const metadata = MetadataSchema.safeParse(d.metadata);
    if (!content.success || !metadata.success || seen.has(d.id)) {
      invalid.push(d.id);
      continue;
    }
    seen.add(d.id);
    const created = isoOr(d.createdAt, now);
    const memory: Memory = {
      memory_id: d.id,
      memory_type: d.tier,
      content: content.data,
      metadata: metadata.data,
      created_at: created,
      updated_at: isoOr(d.updatedAt, created),
      created_by: actor,
      updated_by: actor,
      source,
      moved_from: null,
      moved_at: null,
    };
    records.push({ type: 'memory', memory, versions: [] });
  }
  records.sort((a, b) => (a.memory.memory_id < b.memory.memory_id ? -1 : 1));
  return { records, invalid };
}

const Mem0Item = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  memory: z.unknown().optional(),
  hash: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  categories: z.array(z.string()).nullish(),
  user_id: z.string().nullish(),
  agent_id: z.string().nullish(),
  run_id: z.string().nullish(),
  app_id: z.string().nullish(),
  created_at: z.unknown().optional(),
  updated_at: z.unknown().optional(),
});
const Mem0Dump = z.union([
  z.array(Mem0Item),
  z.looseObject({ results: z.array(Mem0Item) }),
  z.looseObject({ memories: z.array(Mem0Item) }),
]);

export function fromMem0(json: unknown, actor: Actor, now: string): ForeignResult {
  const parsed = Mem0Dump.safeParse(json);
  if (!parsed.success)
    throw badBundle('not_a_mem0_dump', 'expected a mem0 get_all dump: { "results": [{ "id", "memory", … }] }');
  const data = parsed.data;
  const items: z.infer<typeof Mem0Item>[] = Array.isArray(data)
    ? data
    : Array.isArray(data.results)
      ? (data.results as z.infer<typeof Mem0Item>[])
      : (data.memories as z.infer<typeof Mem0Item>[]);
  const drafts = items.map((m): Draft => {
    const content = typeof m.memory === 'string' ? m.memory : '';
    return {
      id: safeId('mem0', m.id, content),
      tier: 'long_term_memory',
      content: m.memory,
      metadata: {
        ...(m.metadata ?? {}),
        mem0: defined({
          id: m.id,
          hash: m.hash,
          categories: m.categories,
          user_id: m.user_id,
          agent_id: m.agent_id,
          run_id: m.run_id,
          app_id: m.app_id,
        }),
      },
      createdAt: m.created_at,
      updatedAt: m.updated_at,
    };
  });
  return toRecords(drafts, actor, 'import:mem0', now);
}

const LettaBlock = z.looseObject({
  id: z.string().nullish(),
  label: z.string(),
  value: z.unknown().optional(),
  description: z.string().nullish(),
  limit: z.number().nullish(),
  created_at: z.unknown().optional(),
  updated_at: z.unknown().optional(),
});
const LettaPassage = z.looseObject({
  id: z.string().nullish(),
  text: z.unknown().optional(),
  tags: z.array(z.string()).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  created_at: z.unknown().optional(),
  updated_at: z.unknown().optional(),
});
const LettaAgent = z.looseObject({
  id: z.string().nullish(),
  name: z.string().nullish(),
  block_ids: z.array(z.string()).nullish(),
  /** The first agent-file format kept the blocks inside the agent. */
  core_memory: z.array(LettaBlock).nullish(),
  memory: z.looseObject({ blocks: z.array(LettaBlock).nullish() }).nullish(),
  passages: z.array(LettaPassage).nullish(),
  archival_memory: z.array(LettaPassage).nullish(),
});
const LettaFile = z.looseObject({
  agents: z.array(LettaAgent).min(1),
  blocks: z.array(LettaBlock).nullish(),
  passages: z.array(LettaPassage).nullish(),
  archives: z.array(z.looseObject({ passages: z.array(LettaPassage).nullish() })).nullish(),
  created_at: z.unknown().optional(),
});

/** The agent file's name for the AI, for an import into a new AI. */
export const lettaAgentName = (json: unknown): string | undefined => {
  const parsed = LettaFile.safeParse(json);
  return parsed.success ? (parsed.data.agents[0]?.name ?? undefined) : undefined;
};

export function fromLetta(json: unknown, actor: Actor, now: string): ForeignResult {
  const parsed = LettaFile.safeParse(json);
  if (!parsed.success)
    throw badBundle('not_a_letta_file', 'expected a Letta agent file (.af): { "agents": [...], "blocks": [...] }');
  const af = parsed.data;
  const agent = af.agents[0] as z.infer<typeof LettaAgent>;
  const wanted = agent.block_ids ? new Set(agent.block_ids) : null;
  const blocks = [
    ...(agent.core_memory ?? []),
    ...(agent.memory?.blocks ?? []),
    ...(af.blocks ?? []).filter((b) => !wanted || (b.id && wanted.has(b.id))),
  ];
  const passages = [
    ...(agent.passages ?? []),
    ...(agent.archival_memory ?? []),
    ...(af.passages ?? []),
    ...(af.archives ?? []).flatMap((a) => a.passages ?? []),
  ];
  const fileTime = af.created_at;
  const drafts: Draft[] = [
    ...blocks
      .filter((b) => typeof b.value === 'string' && b.value.trim() !== '')
      .map((b): Draft => ({
        id: safeId('letta', b.id ?? `block-${b.label}`, String(b.value)),
        tier: b.label === 'persona' ? 'personal_logs' : 'long_term_memory',
        content: b.value,
        metadata: {
          letta: defined({ kind: 'block', block_id: b.id, label: b.label, description: b.description, limit: b.limit }),
        },
        createdAt: b.created_at ?? fileTime,
        updatedAt: b.updated_at,
      })),
    ...passages.map((p): Draft => ({
      id: safeId('letta', p.id, typeof p.text === 'string' ? p.text : ''),
      tier: 'archive',
      content: p.text,
      metadata: { ...(p.metadata ?? {}), letta: defined({ kind: 'passage', passage_id: p.id, tags: p.tags }) },
      createdAt: p.created_at ?? fileTime,
      updatedAt: p.updated_at,
    })),
  ];
  return toRecords(drafts, actor, 'import:letta', now);
}
