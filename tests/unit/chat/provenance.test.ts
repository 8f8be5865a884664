import { describe, expect, it } from 'vitest';
import type { Memory } from '@memory-weaver/protocol';
import type { Principal } from '@memory-weaver/core';
import { REDACTED_ADMIN_ID, actorShownTo, memoryShownTo } from '../../../functions/src/memory/record.js';

const admin: Principal = { kind: 'admin', uid: 'admin-uid-1' };
const key: Principal = { kind: 'ai_key', keyId: 'k1', aiUuid: 'a1', aiName: 'A', cached: false };
const memory: Memory = {
  memory_id: 'm1',
  memory_type: 'long_term_memory',
  content: 'x',
  metadata: {},
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  created_by: { kind: 'admin', id: 'admin-uid-1' },
  updated_by: { kind: 'ai_key', id: 'k1' },
  source: 'POST /v1/ais/:ai_uuid/memories/:memory_type',
  moved_from: null,
  moved_at: null,
};

describe("a memory's provenance as the caller sees it", () => {
  it("hides an administrator's uid from an AI's key, keeping that an administrator acted", () => {
    const shown = memoryShownTo(key, memory);
    expect(shown.created_by).toEqual({ kind: 'admin', id: REDACTED_ADMIN_ID });
    expect(JSON.stringify(shown)).not.toContain('admin-uid-1');
  });

  it("shows an AI's key the key ids of its own changes", () => {
    expect(memoryShownTo(key, memory).updated_by).toEqual({ kind: 'ai_key', id: 'k1' });
  });

  it('shows an administrator every id', () => {
    expect(memoryShownTo(admin, memory)).toEqual(memory);
    expect(actorShownTo(admin, { kind: 'admin', id: 'someone-else' })).toEqual({ kind: 'admin', id: 'someone-else' });
  });

  it('passes a memory written before provenance was recorded through as it is', () => {
    const legacy = { ...memory, created_by: undefined, updated_by: undefined } as unknown as Memory;
    expect(memoryShownTo(key, legacy)).toEqual(legacy);
  });

  it('leaves the memory it was given as it was', () => {
    memoryShownTo(key, memory);
    expect(memory.created_by).toEqual({ kind: 'admin', id: 'admin-uid-1' });
  });
});
