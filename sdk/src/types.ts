/**
 * @module types — names for the protocol's shapes that it has as schemas only. They are read off
 * the schemas' own types (`parse`'s result), so the SDK needs no zod and defines no shape again.
 */
import type {
  ConsolidationRunPageSchema,
  HealthSchema,
  ImportQuerySchema,
  ListExtractionsQuerySchema,
  SearchRequestSchema,
} from '@memory-weaver/protocol';

/** `GET /v1/healthz`. */
export type Health = ReturnType<(typeof HealthSchema)['parse']>;

/** `GET /v1/ais/{ai_uuid}/consolidations`. */
export type ConsolidationRunPage = ReturnType<(typeof ConsolidationRunPageSchema)['parse']>;

/** `POST /v1/ais/import` and `/v1/ais/{ai_uuid}/import`'s query. */
export type ImportQuery = ReturnType<(typeof ImportQuerySchema)['parse']>;

/** `GET /v1/ais/{ai_uuid}/extractions`' query. */
export type ListExtractionsQuery = ReturnType<(typeof ListExtractionsQuerySchema)['parse']>;

/** `POST /v1/ais/{ai_uuid}/search`'s body. */
export type SearchRequest = ReturnType<(typeof SearchRequestSchema)['parse']>;
