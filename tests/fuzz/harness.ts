/**
 * @module tests/fuzz/harness — runs fuzzed HTTP cases against one API (in process or through the
 * emulated deployment) and checks the properties after each: the answer (oracle.ts), and that a
 * refused request left the subject AI's stored state (`storedState`: tiers, sessions, event log;
 * plus its registry entry and key record) and the bystander AI's registry entry and key record
 * exactly as they were.
 */
import fc from 'fast-check';
import { MEMORY_TYPES, type HandshakeResponse, type MemoryType } from '@memory-weaver/protocol';
import { aiRef, apiKeyRef, eventsRef, tierRef } from '@memory-weaver/core';
import { adminIdToken, db, signIn } from '../support/emulators.js';
import { call, expectStatus } from '../support/http.js';
import { createMemory, storedState } from '../support/memories.js';
import { chatSessionsRef } from '../support/paths.js';
import type { Endpoint } from './endpoints.js';
import { PropertyBroken, checkReply, requestSpellsLeak } from './oracle.js';
import {
  describeRequest,
  resolveCase,
  resolveValue,
  type FuzzCase,
  type ResolvedRequest,
  type World,
} from './requests.js';
import { send, type WireReply } from './wire.js';

export interface Snapshot {
  stored: Record<string, [string, number][]>;
  /** Update times of the subject's registry entry and key record, and the bystander's. */
  docs: (number | null)[];
  subjectName: string;
}

export interface Tally {
  cases: number;
  accepted: number;
  refused: number;
  /** 429s and 503s, which say when to come back. */
  comeBack: number;
  /** Requests that would delete or re-key the fixture's own AIs, left to the throwaway property. */
  skipped: number;
  /** Requests that spelled the leak pattern themselves, so their answers' leak check was void. */
  leakCheckVoid: number;
  statuses: Map<number, number>;
  /** Milliseconds spent waiting for answers and taking snapshots. */
  ms: { answers: number; snapshots: number };
}

export const newTally = (): Tally => ({
  cases: 0,
  accepted: 0,
  refused: 0,
  comeBack: 0,
  skipped: 0,
  leakCheckVoid: 0,
  statuses: new Map(),
  ms: { answers: 0, snapshots: 0 },
});

export const formatTally = (t: Tally): string =>
  `${t.cases} cases (${t.accepted} accepted, ${t.refused} refused, ${t.comeBack} come-back-later, ${t.skipped} skipped, ` +
  `${t.leakCheckVoid} with a void leak check); statuses ${[...t.statuses]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ')}` +
  `; ${(t.ms.answers / 1000).toFixed(1)} s waiting for answers, ${(t.ms.snapshots / 1000).toFixed(1)} s taking snapshots`;

const keyIdOf = (apiKey: string): string => apiKey.slice('mwk_'.length).split('.')[0] ?? '';

/** An AI made by an administrator through `baseUrl`, with its key. */
export async function makeAi(baseUrl: string, name: string): Promise<{ uuid: string; name: string; key: string }> {
  const reply = await call<HandshakeResponse>('POST', '/v1/handshake', {
    baseUrl,
    token: await adminIdToken(),
    body: { ai_name: name },
  });
  expectStatus(reply, 201);
  return { uuid: reply.body.ai_uuid, name: reply.body.ai_name, key: reply.body.api_key as string };
}

/** The credentials and AIs every case of a file may use; the subject is made per property. */
export async function baseWorld(baseUrl: string): Promise<Omit<World, 'subject' | 'ids'>> {
  const [bystander, retired, user] = await Promise.all([
    makeAi(baseUrl, 'fuzz bystander'),
    makeAi(baseUrl, 'fuzz retired'),
    signIn(),
  ]);
  const adminToken = await adminIdToken();
  const rotated = await call('POST', `/v1/ais/${retired.uuid}/api-key`, { baseUrl, token: adminToken });
  expectStatus(rotated, 201);
  return {
    bystander: { uuid: bystander.uuid, key: bystander.key },
    adminToken,
    userToken: user.idToken,
    revokedKey: retired.key,
  };
}

export interface FixtureOptions {
  baseUrl: string;
  /** Through the Hosting and Functions emulators: the platform parses bodies first. */
  platform: boolean;
  tally: Tally;
  /** Lines the API logged at error level since the last check (in process only). */
  drainLog?: () => string[];
  /**
   * A throwaway subject, which the case may delete or re-key (the destructive endpoints'
   * property): it holds one memory and no session, and only the bystander is protected.
   */
  throwaway?: boolean;
}

/**
 * One subject AI under fuzz: it holds a memory in every tier and a chat session before each case
 * (topped up when the fuzz deleted or moved them away), so that ids in requests name real things.
 */
export class Fixture {
  private snapshot!: Snapshot;
  /** A case ended (failed) before its snapshot was taken: the next one must take it first. */
  private stale = false;

  private constructor(
    readonly world: World,
    private opts: FixtureOptions,
  ) {}

  /** Sends the following cases to another app (each endpoint gets one of its own), with its log. */
  useApp(baseUrl: string, drainLog?: () => string[]): void {
    this.opts = { ...this.opts, baseUrl, ...(drainLog ? { drainLog } : {}) };
  }

  /** Checks that the light snapshot says what `storedState` says (see `idsAndTimes`). */
  async verifySnapshot(): Promise<void> {
    const [light, full] = await Promise.all([
      idsAndTimes(this.world.subject.uuid),
      storedState(this.world.subject.uuid),
    ]);
    if (JSON.stringify(light) !== JSON.stringify(full)) {
      throw new Error(`the light snapshot differs from storedState: ${JSON.stringify(light).slice(0, 500)}`);
    }
  }

  /** How many documents the subject holds: the snapshot after each case reads them all. */
  documents(): number {
    return Object.values(this.snapshot.stored).reduce((n, docs) => n + docs.length, 0);
  }

  static async create(
    base: Omit<World, 'subject' | 'ids'>,
    opts: FixtureOptions,
    name = 'fuzz subject',
  ): Promise<Fixture> {
    const subject = await makeAi(opts.baseUrl, name);
    const emptyIds = {
      memories: Object.fromEntries(MEMORY_TYPES.map((t) => [t, []])) as unknown as Record<MemoryType, string[]>,
      sessions: [],
      events: [],
    };
    const fixture = new Fixture({ ...base, subject, ids: emptyIds }, opts);
    await fixture.refresh();
    await fixture.topUp();
    return fixture;
  }

  private async takeSnapshot(): Promise<Snapshot> {
    const { subject, bystander } = this.world;
    const [stored, docs] = await Promise.all([
      idsAndTimes(subject.uuid),
      db.getAll(
        aiRef(db, subject.uuid),
        apiKeyRef(db, keyIdOf(subject.key)),
        aiRef(db, bystander.uuid),
        apiKeyRef(db, keyIdOf(bystander.key)),
        { fieldMask: ['name'] },
      ),
    ]);
    return {
      stored,
      docs: docs.map((d) => (d.exists ? (d.updateTime?.toMillis() ?? null) : null)),
      subjectName: String(docs[0]?.get('name') ?? this.world.subject.name),
    };
  }

  /** Takes a snapshot and points the world's ids (and the subject's name, after a rename) at it. */
  private async refresh(): Promise<Snapshot> {
    const s = await this.takeSnapshot();
    this.snapshot = s;
    const ids = (name: string) => (s.stored[name] ?? []).map(([id]) => id);
    this.world.ids = {
      memories: Object.fromEntries(MEMORY_TYPES.map((t) => [t, ids(t)])) as Record<MemoryType, string[]>,
      sessions: ids('chat_sessions'),
      events: ids('events'),
    };
    this.world.subject.name = s.subjectName;
    return s;
  }

  /** A memory in every tier and a session, made through the API as the subject itself. */
  private async topUp(): Promise<void> {
    const { baseUrl } = this.opts;
    const { subject } = this.world;
    const client = { ai_uuid: subject.uuid, ai_name: subject.name, api_key: subject.key };
    let changed = false;
    for (const tier of this.opts.throwaway ? (['working_memory'] as const) : MEMORY_TYPES) {
      if (this.world.ids.memories[tier].length > 0) continue;
      await createMemory(client, tier, { content: `seed of ${tier}`, metadata: { topic: 'seed' } }, { baseUrl });
      changed = true;
    }
    if (!this.opts.throwaway && this.world.ids.sessions.length === 0) {
      const reply = await call('POST', '/v1/chat/completions', {
        baseUrl,
        token: subject.key,
        body: { messages: [{ role: 'user', content: 'what do you remember?' }] },
      });
      expectStatus(reply, 200);
      changed = true;
    }
    if (changed) await this.refresh();
  }

  /** Runs one case and checks every property; throws a PropertyBroken-carrying error naming the request. */
  async run(endpoint: Endpoint, c: FuzzCase): Promise<void> {
    if (this.stale) await this.refresh();
    if (!this.opts.throwaway) await this.topUp();
    if (endpoint.schema && c.valid.body.kind === 'json') {
      const parsed = endpoint.schema.safeParse(resolveValue(this.world, c.valid.body.value));
      if (!parsed.success) {
        throw new Error(`the generator of ${endpoint.name} drifted from the protocol: ${parsed.error.message}`);
      }
    }
    const tally = this.opts.tally;
    const resolved = resolveCase(this.world, c);
    // Deleting or re-keying the fixture's own AIs would end the property; throwaway AIs get those.
    if (this.ownsAndDestroys(resolved)) {
      tally.skipped += 1;
      fc.pre(false);
    }
    if (this.opts.platform && emulatorCantAnswer(resolved)) {
      tally.skipped += 1;
      fc.pre(false);
    }
    const req = resolved;
    const before = this.snapshot;
    let reply: WireReply | undefined;
    this.opts.drainLog?.();
    this.stale = true;
    try {
      const sentAt = performance.now();
      reply = await send(this.opts.baseUrl, req.wire);
      tally.ms.answers += performance.now() - sentAt;
      const logged = this.opts.drainLog?.() ?? [];
      tally.cases += 1;
      tally.statuses.set(reply.status, (tally.statuses.get(reply.status) ?? 0) + 1);
      const ctx = {
        sentText: req.sentText,
        bodyBytes: req.wire.body?.length,
        method: req.wire.method,
        platformParsesBody: this.opts.platform && req.bodyText !== undefined,
      };
      if (requestSpellsLeak(ctx)) tally.leakCheckVoid += 1;
      checkReply(reply, ctx);
      if (logged.length > 0) throw new PropertyBroken('nothing unexpected logged', logged.join('\n').slice(0, 2_000));
      const snapAt = performance.now();
      const after = await this.refresh();
      tally.ms.snapshots += performance.now() - snapAt;
      this.stale = false;
      if (reply.status >= 400) {
        tally.refused += 1;
        if (reply.status === 429 || reply.status === 503) tally.comeBack += 1;
        const changed = differences(before, after);
        if (changed.length > 0) throw new PropertyBroken('a refused request changes nothing', changed.join('; '));
      } else {
        tally.accepted += 1;
      }
    } catch (err) {
      throw new Error(failureReport(endpoint, req, reply, err), { cause: err });
    }
  }

  private ownsAndDestroys(req: ResolvedRequest): boolean {
    const auth = req.wire.headers.find(([k]) => k === 'authorization')?.[1] ?? '';
    if (!/^bearer\s+(\S+)\s*$/i.test(auth) || !auth.includes(this.world.adminToken)) return false;
    if (req.wire.method !== 'DELETE' && req.wire.method !== 'POST') return false;
    const path = (req.wire.path.split('?')[0] ?? '').toLowerCase();
    const own = this.opts.throwaway
      ? [this.world.bystander.uuid]
      : [this.world.subject.uuid, this.world.bystander.uuid];
    return own.some((uuid) => new RegExp(`^/v1/+ais/+${uuid.toLowerCase()}/*(api-key/*)?$`).test(path));
  }
}

/**
 * Requests the emulated deployment itself can't answer, so they say nothing about the app: the
 * Hosting emulator never answers a GET (or HEAD) that carries a body, and answers a path with a
 * percent-escape that isn't UTF-8 with its own 500 before the function runs (the Functions
 * emulator, asked directly, shows a URIError page). The in-process fuzz covers both for the app.
 */
function emulatorCantAnswer(req: ResolvedRequest): boolean {
  const { method, body, path } = req.wire;
  if ((method === 'GET' || method === 'HEAD') && body !== undefined) return true;
  return (path.split('?')[0] ?? '').split('/').some((segment) => {
    try {
      decodeURIComponent(segment);
      return false;
    } catch {
      return true;
    }
  });
}

/**
 * `storedState` (tests/support/memories.ts) read with an empty field mask: the same collections,
 * ids and update times, without the documents' fields. Memories and events carry 512-number
 * embeddings, so the full read took most of each case's time; `Fixture.verifySnapshot` checks
 * the two agree.
 */
async function idsAndTimes(aiUuid: string): Promise<Record<string, [string, number][]>> {
  const collections = [
    ...MEMORY_TYPES.map((tier) => tierRef(db, aiUuid, tier)),
    chatSessionsRef(aiUuid),
    eventsRef(db, aiUuid),
  ];
  const entries = await Promise.all(
    collections.map(async (ref) => {
      const snap = await ref.select().get();
      return [ref.id, snap.docs.map((d): [string, number] => [d.id, d.updateTime.toMillis()])] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** What differs between two snapshots, named for the report. */
export function differences(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const name of new Set([...Object.keys(before.stored), ...Object.keys(after.stored)])) {
    const a = JSON.stringify(before.stored[name] ?? []);
    const b = JSON.stringify(after.stored[name] ?? []);
    if (a !== b) out.push(`${name}: ${a.slice(0, 300)} → ${b.slice(0, 300)}`);
  }
  const labels = ['subject registry entry', 'subject key record', 'bystander registry entry', 'bystander key record'];
  before.docs.forEach((t, i) => {
    if (t !== after.docs[i]) out.push(`${labels[i] ?? `doc ${i}`} updated (${t} → ${after.docs[i]})`);
  });
  return out;
}

function failureReport(endpoint: Endpoint, req: ResolvedRequest, reply: WireReply | undefined, err: unknown): string {
  const why = err instanceof Error ? err.message : String(err);
  const answer = reply
    ? `${reply.status} ${JSON.stringify(reply.headers['content-type'] ?? '')}\n${reply.text.slice(0, 1_500)}`
    : '(no answer)';
  return `${endpoint.name}: ${why}\n--- request\n${describeRequest(req)}\n--- answer\n${answer}`;
}
