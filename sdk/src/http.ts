/**
 * @module http — the HTTP API for one AI client, with typed errors. Every mutation carries an
 * Idempotency-Key, so the SDK can retry a request that timed out or hit a 5xx without doubling it.
 */
import type { AiInstance, EventPage, HandshakeResponse, Memory, MemoryPage, MemoryType } from '@memory-weaver/protocol';
import { APIConnectionError, APIError } from './errors.js';

export interface ClientOptions {
  /** Where the API answers, e.g. http://127.0.0.1:5000 locally. */
  baseUrl: string;
  /** The AI's API key (`mwk_…`), or an administrator's Firebase ID token. */
  apiKey: string;
  /** Retries of a failed request (network error, 429, 5xx); mutations keep their idempotency key. */
  maxRetries?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface MemoryChange {
  memory_id: string;
  memory: Memory;
  event_id: string;
}

const newKey = (): string => globalThis.crypto.randomUUID();

export class MemoryWeaverClient {
  readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.maxRetries = options.maxRetries ?? 2;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** With an AI's key: who am I (creates nothing). With an admin token and a name: a new AI. */
  handshake(aiName?: string): Promise<HandshakeResponse> {
    return this.request('POST', '/v1/handshake', aiName === undefined ? {} : { ai_name: aiName }, true);
  }

  getAi(aiUuid: string): Promise<AiInstance> {
    return this.request('GET', `/v1/ais/${aiUuid}`);
  }

  createMemory(
    aiUuid: string,
    tier: MemoryType,
    content: string,
    metadata?: Record<string, unknown>,
  ): Promise<MemoryChange> {
    return this.request(
      'POST',
      `/v1/ais/${aiUuid}/memories/${tier}`,
      { content, ...(metadata ? { metadata } : {}) },
      true,
    );
  }

  editMemory(
    aiUuid: string,
    tier: MemoryType,
    memoryId: string,
    patch: { content?: string; metadata?: Record<string, unknown> },
  ): Promise<MemoryChange> {
    return this.request('PATCH', `/v1/ais/${aiUuid}/memories/${tier}/${memoryId}`, patch, true);
  }

  deleteMemory(
    aiUuid: string,
    tier: MemoryType,
    memoryId: string,
  ): Promise<{ memory_id: string; deleted: true; event_id: string }> {
    return this.request('DELETE', `/v1/ais/${aiUuid}/memories/${tier}/${memoryId}`, undefined, true);
  }

  moveMemory(aiUuid: string, from: MemoryType, memoryId: string, to: MemoryType): Promise<MemoryChange> {
    return this.request('POST', `/v1/ais/${aiUuid}/memories/${from}/${memoryId}/move`, { to_memory_type: to }, true);
  }

  getMemory(aiUuid: string, tier: MemoryType, memoryId: string): Promise<Memory> {
    return this.request('GET', `/v1/ais/${aiUuid}/memories/${tier}/${memoryId}`);
  }

  listMemories(
    aiUuid: string,
    tier: MemoryType,
    query: { limit?: number; cursor?: string; q?: string } = {},
  ): Promise<MemoryPage> {
    const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    return this.request('GET', `/v1/ais/${aiUuid}/memories/${tier}${params.size ? `?${params}` : ''}`);
  }

  listEvents(aiUuid: string, after?: string, limit = 100): Promise<EventPage> {
    const params = new URLSearchParams({ limit: String(limit), ...(after ? { after } : {}) });
    return this.request('GET', `/v1/ais/${aiUuid}/events?${params}`);
  }

  /** Any endpoint: `request('POST', '/v1/...', body)`. Mutations get an idempotency key. */
  async request<T>(method: string, path: string, body?: unknown, mutation = method !== 'GET'): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (mutation) headers['idempotency-key'] = newKey();
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetchImpl(`${this.baseUrl}${path}`, {
          method,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (cause) {
        if (attempt < this.maxRetries) {
          await backoff(attempt);
          continue;
        }
        throw new APIConnectionError(`could not reach ${this.baseUrl}: ${String(cause)}`, cause);
      }
      const text = await res.text();
      const parsed = parseJson(text);
      if (res.ok) return parsed as T;
      if ((res.status === 429 || res.status >= 500) && attempt < this.maxRetries) {
        await backoff(attempt, res.headers.get('retry-after'));
        continue;
      }
      throw APIError.generate(res.status, parsed);
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

const backoff = (attempt: number, retryAfter?: string | null) => {
  const seconds = Number(retryAfter);
  const ms = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 200 * 2 ** attempt;
  return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5_000)));
};
