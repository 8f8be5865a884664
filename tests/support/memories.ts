/** @module tests/support/memories — write a memory as its AI, and snapshot everything an AI has stored. */
import type { HandshakeResponse, Memory, MemoryType } from '@memory-weaver/protocol';
import { MEMORY_TYPES } from '@memory-weaver/protocol';
import { eventsRef, tierRef } from '@memory-weaver/core';
import { db } from './emulators.js';
import { call, expectStatus } from './http.js';
import { chatSessionsRef } from './paths.js';

/** An AI as its own client knows itself: the legacy route needs its name beside its UUID. */
export type AiClient = Pick<HandshakeResponse, 'ai_uuid' | 'ai_name'> & { api_key: string };

/** A string, or content with metadata (the legacy route's `memory_data`). */
export type MemoryInput = string | { content: string; metadata?: Record<string, unknown> };

export interface CreateMemoryOptions {
  /**
   * `legacy` (the default): the seed's `POST /create_memory`, answering 200. `resource`:
   * `POST /v1/ais/:ai_uuid/memories/:memory_type`, answering 201. Both store the same memory and event.
   */
  route?: 'legacy' | 'resource';
  /** Another server than the emulated API, e.g. the `url` of startApp(). */
  baseUrl?: string;
}

export interface CreatedMemory {
  memory_id: string;
  event_id: string;
  memory: Memory;
}

/** Creates a memory with the AI's own key and asserts that it was stored (the body shows if not). */
export async function createMemory(
  ai: AiClient,
  tier: MemoryType,
  data: MemoryInput,
  { route = 'legacy', baseUrl }: CreateMemoryOptions = {},
): Promise<CreatedMemory> {
  const target = baseUrl === undefined ? {} : { baseUrl };
  if (route === 'legacy') {
    const reply = await call<CreatedMemory>('POST', '/create_memory', {
      token: ai.api_key,
      body: { ai_name: ai.ai_name, ai_uuid: ai.ai_uuid, memory_type: tier, memory_data: data },
      ...target,
    });
    expectStatus(reply, 200);
    return reply.body;
  }
  const reply = await call<CreatedMemory>('POST', `/v1/ais/${ai.ai_uuid}/memories/${tier}`, {
    token: ai.api_key,
    body: typeof data === 'string' ? { content: data } : data,
    ...target,
  });
  expectStatus(reply, 201);
  return reply.body;
}

/**
 * Every document an AI has stored (its tiers, chat sessions and event log), by id with its last
 * update time. Two equal snapshots mean nothing was added, changed or removed in between.
 */
export async function storedState(aiUuid: string): Promise<Record<string, [string, number][]>> {
  const collections = [
    ...MEMORY_TYPES.map((tier) => tierRef(db, aiUuid, tier)),
    chatSessionsRef(aiUuid),
    eventsRef(db, aiUuid),
  ];
  const entries = await Promise.all(
    collections.map(async (ref) => {
      const snap = await ref.get();
      return [ref.id, snap.docs.map((d): [string, number] => [d.id, d.updateTime.toMillis()])] as const;
    }),
  );
  return Object.fromEntries(entries);
}
