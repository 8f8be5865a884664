/**
 * @module ai/createAi — the handshake that creates an AI: a new UUID, its registry entry and its
 * first API key, in one commit. Firestore collections exist as soon as they hold a document, so
 * the four tiers need no placeholder documents: the registry entry lists them and the response
 * gives their paths.
 */
import { randomUUID } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import { MEMORY_TYPES, type HandshakeResponse } from '@memory-weaver/protocol';
import type { MutationContext } from '../context.js';
import { actorOf, aiRef, apiKeyRef, databasePaths, issueKey, processKeyring, requireAdmin } from '@memory-weaver/core';

export async function createAi(ctx: MutationContext, aiName: string): Promise<HandshakeResponse> {
  requireAdmin(ctx.principal);
  const aiUuid = randomUUID();
  const key = issueKey();
  const at = Timestamp.fromDate(ctx.clock.now());
  const batch = ctx.db.batch();
  // Its data key (core's crypto/dataKeys.ts) is created in the same commit: an AI never exists
  // with memories stored before its key. Without one (MW_ENCRYPT_NEW_AIS=off) it is stored in plaintext.
  const keyring = processKeyring();
  const dataKeyVersion = keyring.encryptNewAis ? await keyring.addFirstKey(batch, ctx.db, aiUuid, at) : 0;
  batch.create(aiRef(ctx.db, aiUuid), {
    name: aiName,
    createdAt: at,
    updatedAt: at,
    lastActiveAt: null,
    memoryUpdatedAt: null,
    owner: ctx.principal.uid,
    permissions: { tiers: [...MEMORY_TYPES] },
    model: {},
    apiKeyId: key.keyId,
    apiKeyPrefix: key.prefix,
    deletedAt: null,
    dataKeyVersion,
  });
  batch.create(apiKeyRef(ctx.db, key.keyId), newKeyRecord(aiUuid, aiName, key.secretHash, at, ctx));
  const response: HandshakeResponse = {
    ai_uuid: aiUuid,
    ai_name: aiName,
    api_key: key.apiKey,
    api_key_prefix: key.prefix,
    created: true,
    database_paths: databasePaths(aiUuid),
  };
  ctx.record(batch, response);
  await batch.commit();
  return response;
}

export function newKeyRecord(aiUuid: string, aiName: string, secretHash: string, at: Timestamp, ctx: MutationContext) {
  return { aiUuid, aiName, secretHash, createdAt: at, createdBy: actorOf(ctx.principal), lastUsedAt: null };
}
