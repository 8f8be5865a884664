/**
 * @module @memory-weaver/core — server-side pieces shared by the API (functions/) and the relay:
 * the one error type, where documents live, API keys and callers, the event log.
 */
export * from './errors.js';
export * from './paths.js';
export * from './time.js';
export * from './cursor.js';
export * from './keys.js';
export * from './keyCache.js';
export * from './principal.js';
export * from './access.js';
export * from './provenance.js';
export * from './events.js';
export * from './emulatorGuard.js';
export * from './presence.js';
export * from './crypto/index.js';
