/** @module api — the HTTP API as the signed-in administrator, through the SDK. */
import type { User } from 'firebase/auth';
import { MemoryWeaverClient } from '@memory-weaver/sdk';
import type {
  AiInstance,
  ContextPreview,
  HandshakeResponse,
  MemoryEvent,
  MemoryPage,
  MemoryType,
  SearchHit,
  SearchMode,
  ChatSession,
} from '@memory-weaver/protocol';

export type { AiInstance, MemoryType };

export class Api {
  constructor(private readonly user: User) {}

  /** A client with a fresh ID token (Firebase refreshes it when it nears expiry). */
  private async client(): Promise<MemoryWeaverClient> {
    return new MemoryWeaverClient({
      baseUrl: window.location.origin,
      apiKey: await this.user.getIdToken(),
      maxRetries: 1,
    });
  }

  async token(): Promise<string> {
    return this.user.getIdToken();
  }

  async listAis(): Promise<AiInstance[]> {
    return (await (await this.client()).request<{ ais: AiInstance[] }>('GET', '/v1/ais?limit=100')).ais;
  }
  async createAi(name: string): Promise<HandshakeResponse> {
    return (await this.client()).request('POST', '/v1/ais', { ai_name: name });
  }
  async updateAi(aiUuid: string, body: Record<string, unknown>): Promise<AiInstance> {
    return (await this.client()).request('PATCH', `/v1/ais/${aiUuid}`, body);
  }
  async deleteAi(aiUuid: string): Promise<void> {
    await (await this.client()).request('DELETE', `/v1/ais/${aiUuid}`);
  }
  async rotateKey(aiUuid: string): Promise<{ api_key: string; api_key_prefix: string }> {
    return (await this.client()).request('POST', `/v1/ais/${aiUuid}/api-key`);
  }
  async revokeKey(aiUuid: string): Promise<void> {
    await (await this.client()).request('DELETE', `/v1/ais/${aiUuid}/api-key`);
  }
  async stats(aiUuid: string): Promise<Record<MemoryType, number>> {
    return (
      await (
        await this.client()
      ).request<{ memory_counts: Record<MemoryType, number> }>('GET', `/v1/ais/${aiUuid}/stats`)
    ).memory_counts;
  }
  async memories(aiUuid: string, tier: MemoryType, q: string, cursor?: string): Promise<MemoryPage> {
    const params = new URLSearchParams({ limit: '20', ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) });
    return (await this.client()).request('GET', `/v1/ais/${aiUuid}/memories/${tier}?${params}`);
  }
  async createMemory(aiUuid: string, tier: MemoryType, content: string, metadata: Record<string, unknown>) {
    return (await this.client()).createMemory(aiUuid, tier, content, metadata);
  }
  async editMemory(aiUuid: string, tier: MemoryType, id: string, content: string) {
    return (await this.client()).editMemory(aiUuid, tier, id, { content });
  }
  async deleteMemory(aiUuid: string, tier: MemoryType, id: string) {
    return (await this.client()).deleteMemory(aiUuid, tier, id);
  }
  async moveMemory(aiUuid: string, from: MemoryType, id: string, to: MemoryType) {
    return (await this.client()).moveMemory(aiUuid, from, id, to);
  }
  async events(aiUuid: string): Promise<MemoryEvent[]> {
    const page = await (
      await this.client()
    ).request<{ events: MemoryEvent[] }>('GET', `/v1/ais/${aiUuid}/events?limit=500`);
    return page.events;
  }
  async search(aiUuid: string, query: string, mode: SearchMode = 'hybrid'): Promise<SearchHit[]> {
    return (
      await (
        await this.client()
      ).request<{ results: SearchHit[] }>('POST', `/v1/ais/${aiUuid}/search`, { query, limit: 10, mode })
    ).results;
  }
  async sessions(aiUuid: string): Promise<ChatSession[]> {
    return (await (await this.client()).request<{ sessions: ChatSession[] }>('GET', `/v1/ais/${aiUuid}/sessions`))
      .sessions;
  }
  async context(aiUuid: string, message: string, sessionId?: string): Promise<ContextPreview> {
    return (await this.client()).request('POST', `/v1/ais/${aiUuid}/context`, {
      messages: [{ role: 'user', content: message }],
      ...(sessionId ? { session_id: sessionId } : {}),
    });
  }

  /** Streams a chat answer (OpenAI's SSE chunks); resolves with the session id. */
  async chat(
    aiUuid: string,
    message: string,
    sessionId: string | undefined,
    onText: (t: string) => void,
  ): Promise<string> {
    const res = await fetch('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.token()}` },
      body: JSON.stringify({
        ai_uuid: aiUuid,
        stream: true,
        messages: [{ role: 'user', content: message }],
        ...(sessionId ? { session_id: sessionId } : {}),
      }),
    });
    if (!res.ok || !res.body) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      throw new Error(body?.error?.message ?? `chat failed (${res.status})`);
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let session = res.headers.get('x-memory-weaver-session-id') ?? sessionId ?? '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      const events = buffer.split('\n\n');
      buffer = events.pop() ?? '';
      for (const e of events) {
        const data = e.replace(/^data: /, '');
        if (data === '[DONE]') return session;
        const chunk = JSON.parse(data) as {
          error?: { message: string };
          choices?: { delta?: { content?: string } }[];
          memory_weaver?: { session_id: string };
        };
        if (chunk.error) throw new Error(chunk.error.message);
        if (chunk.memory_weaver) session = chunk.memory_weaver.session_id;
        const text = chunk.choices?.[0]?.delta?.content;
        if (text) onText(text);
      }
    }
    return session;
  }
}

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
