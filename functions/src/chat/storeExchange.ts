/**
 * @module chat/storeExchange — after a completion succeeds: the turn in its session (the session
 * is created by its first turn) and the exchange in working memory, with its event, in one commit.
 * A failed or cut completion never gets here, so it stores nothing.
 */
import { FieldValue, Timestamp } from 'firebase-admin/firestore';
import { LIMITS } from '@memory-weaver/protocol';
import { tierRef } from '@memory-weaver/core';
import type { MutationContext } from '../context.js';
import { runChange } from '../memory/change.js';
import { newMemoryDoc, toMemory } from '../memory/record.js';
import { searchFields } from '../search/indexFields.js';
import { sessionsRef, turnsRef } from './sessions.js';

export interface Exchange {
  aiUuid: string;
  sessionId: string;
  message: string;
  response: string;
  model: string;
  memoriesUsed: string[];
}

export async function storeExchange(
  ctx: MutationContext,
  x: Exchange,
  responseBody: unknown,
): Promise<{ chat_id: string; memory_id: string }> {
  const session = sessionsRef(ctx.db, x.aiUuid).doc(x.sessionId);
  const turn = turnsRef(ctx.db, x.aiUuid, x.sessionId).doc();
  const memory = tierRef(ctx.db, x.aiUuid, 'working_memory').doc();
  const content = `User: ${x.message}\nAssistant: ${x.response}`.slice(0, LIMITS.contentChars);
  return runChange(
    ctx,
    x.aiUuid,
    [session],
    ({ tx, prepared: search, docs, now, actor, event }) => {
      const at = Timestamp.fromDate(now);
      if (docs[0]?.exists) {
        tx.update(session, { updatedAt: at, turns: FieldValue.increment(1) });
      } else {
        tx.create(session, {
          name: x.message.slice(0, 80),
          userId: actor.id,
          userKind: actor.kind,
          createdAt: at,
          updatedAt: at,
          turns: 1,
        });
      }
      tx.create(turn, {
        message: x.message,
        response: x.response,
        userId: actor.id,
        timestamp: at,
        model: x.model,
        memoriesUsed: x.memoriesUsed,
      });
      const doc = newMemoryDoc(
        content,
        { kind: 'chat_exchange', session_id: x.sessionId, chat_id: turn.id, model: x.model },
        actor,
        ctx.via,
        at,
      );
      tx.create(memory, { ...doc, ...search });
      event({
        type: 'created',
        memoryId: memory.id,
        tier: 'working_memory',
        memory: toMemory(memory.id, 'working_memory', doc),
      });
      ctx.record(tx, responseBody);
      return { chat_id: turn.id, memory_id: memory.id };
    },
    searchFields(ctx.embedder, content),
  );
}
