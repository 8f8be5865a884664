/** @module resources/ais — AI instances: the handshake, and the administrator's resource API. */
import type {
  AiDeleted,
  AiInstance,
  AiPage,
  AiStats,
  HandshakeResponse,
  ListAisQuery,
  UpdateAiBody,
} from '@memory-weaver/protocol';
import { segment, type Transport } from '../transport.js';

const ai = (aiUuid: string) => `/v1/ais/${segment(aiUuid)}`;

export const aiMethods = (t: Transport) => ({
  /**
   * `POST /v1/handshake`. With an AI's key: who am I (creates nothing; `aiName`, if given, must be
   * its name). With an administrator's token and a name: a new AI, its key shown this once.
   */
  handshake: (aiName?: string): Promise<HandshakeResponse> =>
    t.json('POST', '/v1/handshake', { body: aiName === undefined ? {} : { ai_name: aiName } }),

  /** `GET /v1/ais`: every AI for an administrator (by page), the key's own AI for a key. */
  listAis: (page: ListAisQuery = {}): Promise<AiPage> => t.json('GET', '/v1/ais', { query: page }),

  /** `POST /v1/ais` (administrators): a new AI, with its key shown this once. */
  createAi: (aiName: string): Promise<HandshakeResponse> => t.json('POST', '/v1/ais', { body: { ai_name: aiName } }),

  /** `GET /v1/ais/{ai_uuid}`. */
  getAi: (aiUuid: string): Promise<AiInstance> => t.json('GET', ai(aiUuid)),

  /** `PATCH /v1/ais/{ai_uuid}` (administrators): rename, or change the AI's chat settings. */
  updateAi: (aiUuid: string, change: UpdateAiBody): Promise<AiInstance> =>
    t.json('PATCH', ai(aiUuid), { body: change }),

  /** `DELETE /v1/ais/{ai_uuid}` (administrators): the AI and everything it holds. */
  deleteAi: (aiUuid: string): Promise<AiDeleted> => t.json('DELETE', ai(aiUuid)),

  /** `GET /v1/ais/{ai_uuid}/stats`: how many memories each tier holds. */
  getStats: (aiUuid: string): Promise<AiStats> => t.json('GET', `${ai(aiUuid)}/stats`),
});
export type AiMethods = ReturnType<typeof aiMethods>;
