/** @module resources/memories — one AI's memories by tier: `/v1/ais/{ai_uuid}/memories/{memory_type}/…`. */
import type {
  ListMemoriesQuery,
  Memory,
  MemoryChange,
  MemoryDeletion,
  MemoryPage,
  MemoryType,
  MemoryVersions,
  Metadata,
} from '@memory-weaver/protocol';
import { segment, type Transport } from '../transport.js';

const tierPath = (aiUuid: string, tier: MemoryType) => `/v1/ais/${segment(aiUuid)}/memories/${segment(tier)}`;
const memoryPath = (aiUuid: string, tier: MemoryType, memoryId: string) =>
  `${tierPath(aiUuid, tier)}/${segment(memoryId)}`;

/** The query string's fields (`q`: content contains, case-insensitive), and metadata filters. */
export type ListMemoriesOptions = ListMemoriesQuery & {
  /** Memories whose metadata has each of these keys equal to its value (sent as `meta.<key>`). */
  metadata?: Record<string, string>;
};

export const memoryMethods = (t: Transport) => ({
  /** `POST …/memories/{memory_type}`. */
  createMemory: (aiUuid: string, tier: MemoryType, content: string, metadata?: Metadata): Promise<MemoryChange> =>
    t.json('POST', tierPath(aiUuid, tier), { body: { content, ...(metadata ? { metadata } : {}) } }),

  /** `GET …/memories/{memory_type}/{memory_id}`. */
  getMemory: (aiUuid: string, tier: MemoryType, memoryId: string): Promise<Memory> =>
    t.json('GET', memoryPath(aiUuid, tier, memoryId)),

  /** `GET …/memories/{memory_type}`: newest first, by page, optionally filtered. */
  listMemories: (aiUuid: string, tier: MemoryType, options: ListMemoriesOptions = {}): Promise<MemoryPage> => {
    const { metadata, ...rest } = options;
    const filters = Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [`meta.${k}`, v]));
    return t.json('GET', tierPath(aiUuid, tier), { query: { ...rest, ...filters } });
  },

  /** `PATCH …/memories/{memory_type}/{memory_id}`: new content, new metadata, or both. */
  editMemory: (
    aiUuid: string,
    tier: MemoryType,
    memoryId: string,
    patch: { content?: string; metadata?: Metadata },
  ): Promise<MemoryChange> => t.json('PATCH', memoryPath(aiUuid, tier, memoryId), { body: patch }),

  /** `DELETE …/memories/{memory_type}/{memory_id}`. */
  deleteMemory: (aiUuid: string, tier: MemoryType, memoryId: string): Promise<MemoryDeletion> =>
    t.json('DELETE', memoryPath(aiUuid, tier, memoryId)),

  /** `POST …/memories/{memory_type}/{memory_id}/move`: to another tier, keeping its id. */
  moveMemory: (aiUuid: string, from: MemoryType, memoryId: string, to: MemoryType): Promise<MemoryChange> =>
    t.json('POST', `${memoryPath(aiUuid, from, memoryId)}/move`, { body: { to_memory_type: to } }),

  /** `GET …/{memory_id}/versions`: earlier versions (each edit, move, supersede, restore), newest first. */
  listMemoryVersions: (aiUuid: string, tier: MemoryType, memoryId: string): Promise<MemoryVersions> =>
    t.json('GET', `${memoryPath(aiUuid, tier, memoryId)}/versions`),

  /** `POST …/{memory_id}/versions/{version_id}/restore`: that version's content and metadata, as a new change. */
  restoreMemoryVersion: (
    aiUuid: string,
    tier: MemoryType,
    memoryId: string,
    versionId: string,
  ): Promise<MemoryChange> =>
    t.json('POST', `${memoryPath(aiUuid, tier, memoryId)}/versions/${segment(versionId)}/restore`),
});
export type MemoryMethods = ReturnType<typeof memoryMethods>;
