/** @module resources/keys — an AI's API key (administrators): rotate it, or revoke it. */
import type { ApiKeyIssued, ApiKeyRevoked } from '@memory-weaver/protocol';
import { segment, type Transport } from '../transport.js';

const key = (aiUuid: string) => `/v1/ais/${segment(aiUuid)}/api-key`;

export const keyMethods = (t: Transport) => ({
  /** `POST /v1/ais/{ai_uuid}/api-key`: a new key, shown this once; the old one stops working. */
  rotateKey: (aiUuid: string): Promise<ApiKeyIssued> => t.json('POST', key(aiUuid)),

  /** `DELETE /v1/ais/{ai_uuid}/api-key`: the AI has no working key until the next rotation. */
  revokeKey: (aiUuid: string): Promise<ApiKeyRevoked> => t.json('DELETE', key(aiUuid)),
});
export type KeyMethods = ReturnType<typeof keyMethods>;
