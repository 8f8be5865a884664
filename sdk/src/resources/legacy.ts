/**
 * @module resources/legacy — the seed's endpoints (`/create_memory`, …), kept for the clients
 * written against that contract: POST bodies naming the AI by `ai_name` and `ai_uuid`. New code
 * uses the resource methods (memories.ts); these answer the same.
 */
import type {
  CreateMemoryRequest,
  DeleteMemoryRequest,
  EditMemoryRequest,
  MoveMemoryRequest,
  MemoryChange,
  MemoryDeletion,
  RetrieveMemoriesRequest,
  RetrievedMemories,
} from '@memory-weaver/protocol';
import type { Transport } from '../transport.js';

export const legacyMethods = (t: Transport) => ({
  /** `POST /create_memory`. */
  legacyCreateMemory: (request: CreateMemoryRequest): Promise<MemoryChange> =>
    t.json('POST', '/create_memory', { body: request }),
  /** `POST /edit_memory`. */
  legacyEditMemory: (request: EditMemoryRequest): Promise<MemoryChange> =>
    t.json('POST', '/edit_memory', { body: request }),
  /** `POST /delete_memory`. */
  legacyDeleteMemory: (request: DeleteMemoryRequest): Promise<MemoryDeletion> =>
    t.json('POST', '/delete_memory', { body: request }),
  /** `POST /move_memory`. */
  legacyMoveMemory: (request: MoveMemoryRequest): Promise<MemoryChange> =>
    t.json('POST', '/move_memory', { body: request }),
  /** `POST /retrieve_memories`: a read, so it carries no Idempotency-Key. */
  legacyRetrieveMemories: (request: RetrieveMemoriesRequest): Promise<RetrievedMemories> =>
    t.json('POST', '/retrieve_memories', { body: request, mutation: false }),
});
export type LegacyMethods = ReturnType<typeof legacyMethods>;
