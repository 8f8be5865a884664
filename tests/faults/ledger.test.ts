/**
 * A ledger under faults: AI clients make mixed changes through a proxy that cuts connections at
 * random, retrying with their Idempotency-Key, while the relays that stream the changes are killed
 * and restarted. Afterwards every AI's stored memory equals the ledger of acknowledged changes,
 * its event log has exactly one event per change and folds to the same state, and every follower
 * received exactly the log.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { MEMORY_TYPES, type MemoryType, type MemoryUpdate } from '@memory-weaver/protocol';
import { openSnapshots, tierRef } from '@memory-weaver/core';
import { MemoryWeaverClient, follow, type Live } from '../../sdk/src/index.js';
import { db } from '../support/emulators.js';
import { eventLog } from '../support/events.js';
import { newAi } from '../support/http.js';
import { startRelay, until, type RelayProcess } from '../support/relay.js';
import { seeded } from '../support/random.js';
import { startCuttingProxy } from './cuttingProxy.js';

const AIS = 10;
const OPS_PER_AI = 80;
const SEED = 20261121;

/** What the clients were told happened: memory id → where it is and what it says. */
type State = Map<string, { tier: MemoryType; content: string }>;

const relays: RelayProcess[] = [];
const follows: Live[] = [];
afterAll(async () => {
  follows.forEach((f) => f.close());
  await Promise.all(relays.map((r) => r.stop()));
});

async function storedState(aiUuid: string): Promise<State> {
  const state: State = new Map();
  for (const tier of MEMORY_TYPES) {
    for (const doc of await openSnapshots(db, aiUuid, (await tierRef(db, aiUuid, tier).get()).docs)) {
      state.set(doc.id, { tier, content: String(doc.get('content')) });
    }
  }
  return state;
}

/**
 * Replays an event log from nothing: each event carries the memory as the change left it, except
 * the events of a memory since deleted, which are forgotten (memory null): their memory must be
 * gone again by the end of the log, or the state shows the marker and differs from the ledger.
 */
function fold(events: Awaited<ReturnType<typeof eventLog>>): State {
  const state: State = new Map();
  for (const e of events) {
    const id = String(e.memoryId);
    if (e.type === 'deleted') state.delete(id);
    else {
      const content = e.forgotten === true ? '(forgotten before its delete)' : String(e.memory.content);
      state.set(id, { tier: (e.toTier ?? e.tier) as MemoryType, content });
    }
  }
  return state;
}

const sorted = (s: State) => [...s.entries()].sort(([a], [b]) => a.localeCompare(b));

describe('a ledger under faults', () => {
  it('keeps every AI equal to its acknowledged changes through cut connections and relay crashes', async () => {
    const proxy = await startCuttingProxy({ upstreamPort: 5000, requestCut: 0.08, responseCut: 0.12, seed: SEED });
    const relayA = await startRelay();
    const relayB = await startRelay();
    relays.push(relayA, relayB);

    const ais = await Promise.all(Array.from({ length: AIS }, (_, i) => newAi(`ledger-${i}`)));
    const received = new Map<string, MemoryUpdate[]>();
    for (const [i, ai] of ais.entries()) {
      const got: MemoryUpdate[] = [];
      received.set(ai.ai_uuid, got);
      const live = follow({
        relayUrl: (i % 2 === 0 ? relayA : relayB).url,
        apiKey: ai.api_key,
        aiUuid: ai.ai_uuid,
        onUpdate: (u) => got.push(u),
        heartbeatMs: 0,
      });
      follows.push(live);
      await live.ready;
    }

    let acknowledged = 0;
    const ledgers = new Map<string, State>();
    const runAi = async (ai: (typeof ais)[number], index: number) => {
      const random = seeded(SEED + index);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
      const client = new MemoryWeaverClient({ baseUrl: proxy.url, apiKey: ai.api_key, maxRetries: 15 });
      const ledger: State = new Map();
      ledgers.set(ai.ai_uuid, ledger);
      for (let op = 0; op < OPS_PER_AI; op++) {
        const ids = [...ledger.keys()];
        const roll = random();
        if (ids.length === 0 || roll < 0.35) {
          const tier = pick(MEMORY_TYPES);
          const content = `ai ${index} op ${op}: ${random().toString(36).slice(2)}`;
          const made = await client.createMemory(ai.ai_uuid, tier, content);
          ledger.set(made.memory_id, { tier, content });
        } else {
          const id = pick(ids);
          const now = ledger.get(id) as { tier: MemoryType; content: string };
          if (roll < 0.6) {
            const content = `${now.content} / edit ${op}`;
            await client.editMemory(ai.ai_uuid, now.tier, id, { content });
            ledger.set(id, { ...now, content });
          } else if (roll < 0.85) {
            const to = pick(MEMORY_TYPES.filter((t) => t !== now.tier));
            await client.moveMemory(ai.ai_uuid, now.tier, id, to);
            ledger.set(id, { ...now, tier: to });
          } else {
            await client.deleteMemory(ai.ai_uuid, now.tier, id);
            ledger.delete(id);
          }
        }
        acknowledged++;
      }
    };

    // The relays crash while changes keep coming, and come back at the same addresses.
    const chaos = (async () => {
      await until(() => acknowledged >= (AIS * OPS_PER_AI) / 4, 'a quarter of the changes', 120_000);
      await relayA.kill();
      await until(() => acknowledged >= (AIS * OPS_PER_AI) / 3, 'a third of the changes', 120_000);
      relays.push(await startRelay({}, relayA.port));
      await until(() => acknowledged >= (AIS * OPS_PER_AI) / 2, 'half of the changes', 120_000);
      await relayB.kill();
      relays.push(await startRelay({}, relayB.port));
    })();
    await Promise.all(ais.map(runAi));
    await chaos;
    await proxy.close();
    console.log(
      `ledger: ${AIS} AIs × ${OPS_PER_AI} changes acknowledged; connections cut: ` +
        `${proxy.cuts.requests} on the way in, ${proxy.cuts.responses} on the way back`,
    );
    expect(proxy.cuts.requests + proxy.cuts.responses).toBeGreaterThan(20);

    for (const ai of ais) {
      const ledger = ledgers.get(ai.ai_uuid) as State;
      const stored = await storedState(ai.ai_uuid);
      expect(sorted(stored)).toEqual(sorted(ledger));
      const log = await eventLog(ai.ai_uuid);
      // One event per acknowledged change: a retried change was never applied twice.
      expect(log.length).toBe(OPS_PER_AI);
      expect(log.map((e) => Number(e.seq))).toEqual(Array.from({ length: OPS_PER_AI }, (_, i) => i + 1));
      expect(sorted(fold(log))).toEqual(sorted(ledger));
      const got = received.get(ai.ai_uuid) as MemoryUpdate[];
      await until(() => got.length >= log.length, `every update of ${ai.ai_name}`, 30_000);
      expect(got.map((u) => u.event_id)).toEqual(log.map((e) => e.id));
    }
  }, 300_000);
});
