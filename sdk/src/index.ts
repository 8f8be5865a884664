/** @module @memory-weaver/sdk — the HTTP API with typed errors, and live memory updates. */
export { MemoryWeaverClient } from './client.js';
export type { ClientOptions } from './transport.js';
export type { ListMemoriesOptions } from './resources/memories.js';
export type { SearchOptions } from './resources/recall.js';
export type { ChatCompletionStream } from './resources/chat.js';
export type { ExportOptions, ImportOptions } from './resources/brain.js';
export type * from './types.js';
export { follow, type Live, type LiveOptions, type LiveStatus } from './live.js';
export * from './errors.js';
export type {
  AiDeleted,
  AiInstance,
  AiPage,
  AiStats,
  ApiKeyIssued,
  ApiKeyRevoked,
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatMessage,
  ChatSession,
  ChatSessionDetail,
  ChatTurn,
  ContextPreview,
  CreateMemoryRequest,
  DeleteMemoryRequest,
  EditMemoryRequest,
  EventPage,
  EventsQuery,
  HandshakeResponse,
  ListAisQuery,
  ListMemoriesQuery,
  Memory,
  MemoryChange,
  MemoryDeletion,
  MemoryEvent,
  MemoryPage,
  MemoryType,
  MemoryUpdate,
  Metadata,
  MoveMemoryRequest,
  OpenApiDocument,
  RelayedMessage,
  ResyncDetails,
  RetrieveMemoriesRequest,
  RetrievedMemories,
  SearchHit,
  SearchMode,
  SearchResults,
  SessionDeleted,
  SessionPage,
  SessionsQuery,
  UpdateAiBody,
} from '@memory-weaver/protocol';
