/** @module resources/sessions — an AI's chat sessions: each one's exchanges, isolated from the others. */
import type { ChatSessionDetail, SessionDeleted, SessionPage, SessionsQuery } from '@memory-weaver/protocol';
import { segment, type Transport } from '../transport.js';

const sessions = (aiUuid: string) => `/v1/ais/${segment(aiUuid)}/sessions`;

export const sessionMethods = (t: Transport) => ({
  /** `GET /v1/ais/{ai_uuid}/sessions`: newest first, by page (a key sees only its own sessions). */
  listSessions: (aiUuid: string, page: SessionsQuery = {}): Promise<SessionPage> =>
    t.json('GET', sessions(aiUuid), { query: page }),

  /** `GET /v1/ais/{ai_uuid}/sessions/{session_id}`: the session with its turns, oldest first. */
  getSession: (aiUuid: string, sessionId: string): Promise<ChatSessionDetail> =>
    t.json('GET', `${sessions(aiUuid)}/${segment(sessionId)}`),

  /**
   * `DELETE /v1/ais/{ai_uuid}/sessions/{session_id}`: the session and its turns (what they left in
   * memory stays). Not a memory change, and not idempotent: a repeat answers 404.
   */
  deleteSession: (aiUuid: string, sessionId: string): Promise<SessionDeleted> =>
    t.json('DELETE', `${sessions(aiUuid)}/${segment(sessionId)}`, { mutation: false }),
});
export type SessionMethods = ReturnType<typeof sessionMethods>;
