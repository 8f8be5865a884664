/** @module @memory-weaver/sdk — the HTTP API with typed errors, and live memory updates. */
export { MemoryWeaverClient, type ClientOptions, type MemoryChange } from './http.js';
export { follow, type Live, type LiveOptions, type LiveStatus } from './live.js';
export * from './errors.js';
export type {
  Memory,
  MemoryType,
  MemoryUpdate,
  MemoryEvent,
  HandshakeResponse,
  RelayedMessage,
  ResyncDetails,
} from '@memory-weaver/protocol';
