import { describe, expect, it } from 'vitest';
import type { MemoryEvent, ResyncDetails } from '@memory-weaver/protocol';
import { ApiError, eventId } from '@memory-weaver/core';
import { replay, type EventLog, type ReplayLimits } from '../../../relay/src/replay.js';
import type { Member, Phase, Seat } from '../../../relay/src/seats.js';

const AI = '3f2b8c1e-6d4a-4b7e-9c1f-2a5d8e0b7c34';

const event = (seq: number): MemoryEvent => ({
  event_id: eventId(seq),
  seq,
  ai_uuid: AI,
  type: 'created',
  memory_id: `m${seq}`,
  memory_type: 'working_memory',
  from_memory_type: null,
  to_memory_type: null,
  at: new Date(0).toISOString(),
  actor: { kind: 'ai_key', id: 'k1' },
  via: 'test',
  memory: null,
});

/** A log of `length` events, 1…length, and the batches a replay asked it for. */
const logOf = (length: number) => {
  const reads: number[][] = [];
  const log: EventLog = {
    seqOf: (id) => {
      const seq = Number(id);
      return seq <= length ? Promise.resolve(seq) : Promise.reject(new ApiError('not_found', 'event not found'));
    },
    after: (seq, limit) => {
      const batch = Array.from({ length: Math.max(0, Math.min(limit, length - seq)) }, (_, i) => event(seq + 1 + i));
      reads.push(batch.map((e) => e.seq));
      return Promise.resolve(batch);
    },
  };
  return { log, reads };
};

/**
 * A member whose connection drains only when the test says so (`drain()`), or closes (`close()`);
 * with `autoDrain`, each wait ends at once.
 */
const memberOf = ({ autoDrain = true } = {}) => {
  const sent: number[] = [];
  const waiting: ((ok: boolean) => void)[] = [];
  const member: Member = {
    id: 'socket-1',
    principal: { kind: 'ai_key', keyId: 'k1', aiUuid: AI, aiName: 'one', cached: false },
    emit: (name, ...args) => {
      if (name === 'memory_update') sent.push((args[0] as MemoryEvent).seq);
    },
    drained: () => (autoDrain ? Promise.resolve(true) : new Promise((resolve) => waiting.push(resolve))),
    evict: () => undefined,
    drop: () => undefined,
  };
  const settle = (ok: boolean) => waiting.splice(0).forEach((resolve) => resolve(ok));
  return { member, sent, drain: () => settle(true), close: () => settle(false), waits: () => waiting.length };
};

const seatOf = (member: Member, cursor = 0): Seat => ({ member, replaying: true, buffer: [], cursor });
const limits = (maxEvents: number, batch: number): ReplayLimits => ({ maxEvents, batch });
const noMetrics = () => undefined;

/** Lets pending promise callbacks run (the replay's reads and waits resolve in microtasks). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('the replay on join', () => {
  it('sends every event after since in order, then the live ones that arrived meanwhile, each once', async () => {
    const { log } = logOf(7);
    const { member, sent } = memberOf();
    const seat = seatOf(member);
    // 7 arrived live during the replay (it is also in the log), 8 and 9 after liveFrom.
    seat.buffer.push(event(7), event(8), event(9));
    const result = await replay(seat, log, { since: eventId(2), liveFrom: 7 }, limits(100, 2), noMetrics);
    expect(sent).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(result).toEqual({ replayed: 5, lastEventId: eventId(7) });
    expect(seat.replaying).toBe(false);
  });

  it('reads the log in batches and stops at liveFrom, leaving later events to the live feed', async () => {
    const { log, reads } = logOf(20);
    const { member } = memberOf();
    await replay(seatOf(member), log, { since: eventId(0), liveFrom: 7 }, limits(100, 3), noMetrics);
    expect(reads).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('sends nothing past and starts live after liveFrom for a member that gives no since', async () => {
    const { log, reads } = logOf(5);
    const { member, sent } = memberOf();
    const result = await replay(seatOf(member), log, { since: undefined, liveFrom: 5 }, limits(1, 1), noMetrics);
    expect(reads).toEqual([]);
    expect(sent).toEqual([]);
    expect(result).toEqual({ replayed: 0, lastEventId: eventId(5) });
  });

  it('tells the metrics which events were replayed and which were live', async () => {
    const { log } = logOf(3);
    const { member } = memberOf();
    const seat = seatOf(member);
    seat.buffer.push(event(4));
    const seen: [number, Phase][] = [];
    await replay(seat, log, { since: eventId(1), liveFrom: 3 }, limits(10, 10), (e, phase) =>
      seen.push([e.seq, phase]),
    );
    expect(seen).toEqual([
      [2, 'replay'],
      [3, 'replay'],
      [4, 'live'],
    ]);
  });
});

describe('the replay limit', () => {
  it('replays a member exactly the limit behind', async () => {
    const { log } = logOf(10);
    const { member, sent } = memberOf();
    const result = await replay(seatOf(member), log, { since: eventId(4), liveFrom: 10 }, limits(6, 4), noMetrics);
    expect(sent).toEqual([5, 6, 7, 8, 9, 10]);
    expect(result.replayed).toBe(6);
  });

  it('refuses a member one event further behind with resync_required, before reading or sending anything', async () => {
    const { log, reads } = logOf(10);
    const { member, sent } = memberOf();
    const refused = await replay(
      seatOf(member),
      log,
      { since: eventId(3), liveFrom: 10 },
      limits(6, 4),
      noMetrics,
    ).then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(ApiError);
    const err = refused as ApiError;
    expect(err.code).toBe('resync_required');
    expect(err.status).toBe(409);
    expect(err.details).toEqual({ last_event_id: eventId(10), behind: 7, max_replay: 6 } satisfies ResyncDetails);
    expect(err.message).toMatch(/HTTP API.*000000000010/);
    expect(reads).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('counts "from the start of the log" as behind by the whole log', async () => {
    const { log } = logOf(10);
    const { member } = memberOf();
    await expect(
      replay(seatOf(member), log, { since: eventId(0), liveFrom: 10 }, limits(9, 4), noMetrics),
    ).rejects.toMatchObject({ code: 'resync_required', details: { behind: 10, last_event_id: eventId(10) } });
  });

  it('measures a member re-joining its own seat from what it was already sent', async () => {
    const { log } = logOf(10);
    const { member, sent } = memberOf();
    // Seated before and sent up to 8: only 9 and 10 are left, within a limit of 2.
    await replay(seatOf(member, 8), log, { since: eventId(1), liveFrom: 10 }, limits(2, 4), noMetrics);
    expect(sent).toEqual([9, 10]);
  });
});

describe("the replay's pace", () => {
  it("sends the next batch only once the member's connection has taken the previous one", async () => {
    const { log } = logOf(9);
    const { member, sent, drain, waits } = memberOf({ autoDrain: false });
    const done = replay(seatOf(member), log, { since: eventId(0), liveFrom: 9 }, limits(100, 4), noMetrics);
    await settled();
    expect(sent).toEqual([1, 2, 3, 4]);
    expect(waits()).toBe(1);
    drain();
    await settled();
    expect(sent).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    drain();
    await settled();
    drain();
    await done;
    expect(sent).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("stops reading and sending once the member's connection closes", async () => {
    const { log, reads } = logOf(9);
    const { member, sent, close } = memberOf({ autoDrain: false });
    const done = replay(seatOf(member), log, { since: eventId(0), liveFrom: 9 }, limits(100, 4), noMetrics);
    await settled();
    close();
    await done;
    expect(sent).toEqual([1, 2, 3, 4]);
    expect(reads).toHaveLength(1);
  });
});
