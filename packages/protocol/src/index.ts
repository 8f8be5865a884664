/** @module @memory-weaver/protocol — the wire contract shared by every end of every boundary. */
export * from './json.js';
export * from './memory.js';
export * from './ai.js';
export * from './errors.js';
export * from './events.js';
export * from './socket.js';
export * from './chat.js';
export * from './mcp.js';
export * from './registry.js';
export * from './routes.js';
export * from './openapi.js';
export * from './extraction.js';
export * from './consolidation.js';
export * from './summaries.js';
export * from './brain.js';
export * from './encryption.js';
