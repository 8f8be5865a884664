/**
 * @module registry — the names of the wire's shared shapes. A schema named here becomes one
 * `components/schemas` entry of the OpenAPI document (openapi.ts) and is referred to wherever it
 * recurs, instead of being spelt out in every operation.
 *
 * A registry of our own rather than zod's global one: the global one lives on `globalThis`, and two
 * copies of this package in one process (a test runner's module graphs) would register each name twice.
 */
import { z } from 'zod';

export const wireRegistry = z.registry<{ id: string }>();

/** Registers `schema` under `id` and returns it unchanged. */
export function named<T extends z.ZodType>(id: string, schema: T): T {
  wireRegistry.add(schema, { id });
  return schema;
}
