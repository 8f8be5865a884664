/** @module crypto — per-AI encryption at rest: see README.md in this folder. */
export * from './sealed.js';
export * from './cipher.js';
export * from './kek.js';
export * from './fields.js';
export * from './dataKeys.js';
