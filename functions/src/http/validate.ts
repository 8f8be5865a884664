/** @module http/validate — parse a request part with a zod schema or throw a 400 that names every bad field. */
import type { z } from 'zod';
import { invalidArgument } from '@memory-weaver/core';

export function parse<S extends z.ZodType>(schema: S, value: unknown, part: 'body' | 'query' | 'path'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || part,
    message: issue.message,
  }));
  const first = issues[0];
  throw invalidArgument(first ? `invalid ${part}: ${first.field}: ${first.message}` : `invalid ${part}`, { issues });
}
