/** @module resources/meta — what needs no credential: the health check and the API's own description. */
import type { OpenApiDocument } from '@memory-weaver/protocol';
import type { Transport } from '../transport.js';
import type { Health } from '../types.js';

export const metaMethods = (t: Transport) => ({
  /** `GET /v1/healthz`: the process answers (it reads nothing). */
  health: (): Promise<Health> => t.json('GET', '/v1/healthz', { anonymous: true }),

  /** `GET /v1/openapi.json`: the OpenAPI 3.1 document of every endpoint. */
  openApi: (): Promise<OpenApiDocument> => t.json('GET', '/v1/openapi.json', { anonymous: true }),
});
export type MetaMethods = ReturnType<typeof metaMethods>;
