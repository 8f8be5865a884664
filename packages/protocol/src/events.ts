/** @module events — the per-AI event log: one entry per memory change. */
import { z } from 'zod';
import { ActorSchema, MemoryIdSchema, MemorySchema, MemoryTypeSchema, TimeSchema, Truncated } from './memory.js';
import { named } from './registry.js';

export const MEMORY_EVENT_TYPES = ['created', 'updated', 'deleted', 'moved'] as const;
export type MemoryEventType = (typeof MEMORY_EVENT_TYPES)[number];

/** An entry of `ai_registry/{ai_uuid}/events`, as the API and the relay present it. */
export const MemoryEventSchema = named(
  'MemoryEvent',
  z.strictObject({
    /** The event's number in its AI's log, zero-padded: ids sort in log order. */
    event_id: z.string(),
    /** The same number: 1, 2, 3… with no gaps, per AI. */
    seq: z.int().min(1),
    ai_uuid: z.string(),
    type: z.enum(MEMORY_EVENT_TYPES),
    memory_id: z.string(),
    /** The tier the memory is in after the change (for `deleted`: the tier it was in). */
    memory_type: MemoryTypeSchema,
    from_memory_type: MemoryTypeSchema.nullable(),
    to_memory_type: MemoryTypeSchema.nullable(),
    at: TimeSchema,
    actor: ActorSchema,
    /** The endpoint that made the change. */
    via: z.string(),
    /** The memory as the change left it; null after a delete. */
    memory: MemorySchema.nullable(),
  }),
);
export type MemoryEvent = z.infer<typeof MemoryEventSchema>;

/** `GET /v1/ais/{ai_uuid}/events`: in log order; `next_cursor` is what `?after=` takes next. */
export const EventPageSchema = named(
  'EventPage',
  z.strictObject({ events: z.array(MemoryEventSchema), next_cursor: z.string().nullable(), ...Truncated }),
);
export type EventPage = z.infer<typeof EventPageSchema>;

export const EventsQuerySchema = z.strictObject({
  after: MemoryIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type EventsQuery = z.infer<typeof EventsQuerySchema>;
