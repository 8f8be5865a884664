/**
 * A move is one transaction: a consistent read of both tiers (a batched get, served at one
 * read time) never finds the memory in both tiers or in neither, however the reads interleave
 * with the moves.
 */
import { describe, expect, it } from 'vitest';
import { memoryRef, openSnapshots } from '@memory-weaver/core';
import { db } from '../support/emulators.js';
import { eventLog } from '../support/events.js';
import { expectError, expectStatus, newAi, post } from '../support/http.js';
import { createMemory } from '../support/memories.js';

describe('move_memory atomicity', () => {
  it('never shows the memory in both tiers or neither while it moves back and forth', async () => {
    const ai = await newAi('Shuttle');
    const scope = { ai_name: 'Shuttle', ai_uuid: ai.ai_uuid };
    const { memory_id: id } = await createMemory(ai, 'working_memory', 'shuttle');
    const working = memoryRef(db, ai.ai_uuid, 'working_memory', id);
    const longTerm = memoryRef(db, ai.ai_uuid, 'long_term_memory', id);

    let moving = true;
    const observed: string[] = [];
    const watcher = (async () => {
      while (moving) {
        const [w, l] = await db.getAll(working, longTerm);
        observed.push(`${w?.exists ? 'W' : '-'}${l?.exists ? 'L' : '-'}`);
      }
    })();

    const moves = 20;
    for (let i = 0; i < moves; i++) {
      const [from, to] = i % 2 === 0 ? ['working_memory', 'long_term_memory'] : ['long_term_memory', 'working_memory'];
      expectStatus(
        await post(
          '/move_memory',
          { ...scope, from_memory_type: from, to_memory_type: to, document_id: id },
          ai.api_key,
        ),
        200,
      );
    }
    moving = false;
    await watcher;

    expect(observed.length).toBeGreaterThan(moves);
    expect(observed.filter((s) => s === 'WL' || s === '--')).toEqual([]);
    expect(new Set(observed)).toEqual(new Set(['W-', '-L']));
    const events = await eventLog(ai.ai_uuid);
    expect(events.filter((e) => e.type === 'moved')).toHaveLength(moves);
  });

  it('leaves both tiers untouched when the destination already holds that id', async () => {
    const ai = await newAi('Collider');
    const id = 'same-id-1';
    // Seed a collision directly: the API never reuses ids, but a move must not overwrite.
    for (const tier of ['working_memory', 'archive'] as const) {
      await memoryRef(db, ai.ai_uuid, tier, id).set({ content: tier, metadata: {} });
    }
    const reply = await post(
      '/move_memory',
      {
        ai_name: 'Collider',
        ai_uuid: ai.ai_uuid,
        from_memory_type: 'working_memory',
        to_memory_type: 'archive',
        document_id: id,
      },
      ai.api_key,
    );
    expectError(reply, 409, 'conflict');
    const stored = await openSnapshots(db, ai.ai_uuid, [
      await memoryRef(db, ai.ai_uuid, 'working_memory', id).get(),
      await memoryRef(db, ai.ai_uuid, 'archive', id).get(),
    ]);
    expect(stored.map((d) => d.get('content'))).toEqual(['working_memory', 'archive']);
    expect(await eventLog(ai.ai_uuid)).toEqual([]);
  });
});
