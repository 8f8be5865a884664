/**
 * @module tests/support/paths — the Firestore locations @memory-weaver/core has no helper for,
 * built from its helpers (the API keeps the same names in functions/src/chat/sessions.ts).
 */
import type { CollectionReference } from 'firebase-admin/firestore';
import { aiRef } from '@memory-weaver/core';
import { db } from './emulators.js';

export const CHAT_SESSIONS = 'chat_sessions';

export const chatSessionsRef = (aiUuid: string): CollectionReference => aiRef(db, aiUuid).collection(CHAT_SESSIONS);
/** The turns (one message and its answer each) of one chat session. */
export const chatTurnsRef = (aiUuid: string, sessionId: string): CollectionReference =>
  chatSessionsRef(aiUuid).doc(sessionId).collection('chats');
