/** @module resources/encryption — an AI's encryption at rest (administrators): status, vectors, key rotation. */
import type { EncryptionStatus, UpdateEncryptionBody } from '@memory-weaver/protocol';
import { segment, type Transport } from '../transport.js';

const base = (aiUuid: string) => `/v1/ais/${segment(aiUuid)}/encryption`;

export const encryptionMethods = (t: Transport) => ({
  /** `GET /v1/ais/{ai_uuid}/encryption`: key version, stored vectors, the latest rotation. */
  encryption: (aiUuid: string): Promise<EncryptionStatus> => t.json('GET', base(aiUuid)),

  /** `PATCH /v1/ais/{ai_uuid}/encryption`: keep vectors in Firestore or only in each instance's memory. */
  updateEncryption: (aiUuid: string, body: UpdateEncryptionBody): Promise<EncryptionStatus> =>
    t.json('PATCH', base(aiUuid), { body }),

  /** `POST /v1/ais/{ai_uuid}/encryption/rotate-key`: start or continue a data-key rotation. */
  rotateDataKey: (aiUuid: string): Promise<EncryptionStatus> => t.json('POST', `${base(aiUuid)}/rotate-key`),
});
export type EncryptionMethods = ReturnType<typeof encryptionMethods>;
