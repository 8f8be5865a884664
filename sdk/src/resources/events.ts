/** @module resources/events — an AI's event log over HTTP: one entry per memory change, oldest first. */
import type { EventPage, EventsQuery } from '@memory-weaver/protocol';
import { segment, type Transport } from '../transport.js';

export const eventMethods = (t: Transport) => ({
  /** `GET /v1/ais/{ai_uuid}/events`: the events after `after` (an event id), at most `limit` (≤ 500). */
  listEvents: (aiUuid: string, page: EventsQuery = {}): Promise<EventPage> =>
    t.json('GET', `/v1/ais/${segment(aiUuid)}/events`, { query: page }),
});
export type EventMethods = ReturnType<typeof eventMethods>;
