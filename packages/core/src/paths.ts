/** @module paths — where each kind of document lives in Firestore (see DESIGN.md's data model). */
import type { CollectionReference, DocumentReference, Firestore } from 'firebase-admin/firestore';
import { MEMORY_TYPES, type DatabasePaths, type MemoryType } from '@memory-weaver/protocol';

export const AI_REGISTRY = 'ai_registry';
export const API_KEYS = 'api_keys';
export const REVOKED_API_KEYS = 'revoked_api_keys';
export const IDEMPOTENCY = 'idempotency_records';
export const EVENTS = 'events';
/** One document per relay process: the AIs that have a client connected to it. */
export const RELAY_PRESENCE = 'relay_presence';
export const PRESENCE_FRESH_MS = 90_000;

export const aiRef = (db: Firestore, aiUuid: string): DocumentReference => db.collection(AI_REGISTRY).doc(aiUuid);
export const tierRef = (db: Firestore, aiUuid: string, tier: MemoryType): CollectionReference =>
  aiRef(db, aiUuid).collection(tier);
export const memoryRef = (db: Firestore, aiUuid: string, tier: MemoryType, memoryId: string): DocumentReference =>
  tierRef(db, aiUuid, tier).doc(memoryId);
export const eventsRef = (db: Firestore, aiUuid: string): CollectionReference => aiRef(db, aiUuid).collection(EVENTS);
export const apiKeyRef = (db: Firestore, keyId: string): DocumentReference => db.collection(API_KEYS).doc(keyId);
export const revokedKeyRef = (db: Firestore, keyId: string): DocumentReference =>
  db.collection(REVOKED_API_KEYS).doc(keyId);

export function databasePaths(aiUuid: string): DatabasePaths {
  const registry = `${AI_REGISTRY}/${aiUuid}`;
  const tiers = Object.fromEntries(MEMORY_TYPES.map((tier) => [tier, `${registry}/${tier}`])) as Record<
    MemoryType,
    string
  >;
  return { registry, ...tiers, events: `${registry}/${EVENTS}` };
}
