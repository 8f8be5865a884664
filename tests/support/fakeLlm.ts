/** @module tests/support/fakeLlm — what the test stand-in for the model server received. */
export interface RecordedRequest {
  at: number;
  authorization: string | null;
  body: { model: string; stream?: boolean; messages: { role: string; content: string }[] } & Record<string, unknown>;
  closedEarly: boolean;
}

const FAKE_LLM_URL = process.env.FAKE_LLM_URL ?? 'http://127.0.0.1:5055';

export async function recordedRequests(): Promise<RecordedRequest[]> {
  return (await (await fetch(`${FAKE_LLM_URL}/__requests`)).json()) as RecordedRequest[];
}

/** The one request whose messages contain `marker` (tests put a unique marker in their prompt). */
export async function requestWith(marker: string): Promise<RecordedRequest> {
  const found = (await recordedRequests()).filter((r) => JSON.stringify(r.body.messages).includes(marker));
  if (found.length !== 1) throw new Error(`expected one upstream request containing ${marker}, found ${found.length}`);
  return found[0] as RecordedRequest;
}

export const systemOf = (r: RecordedRequest): string => r.body.messages.find((m) => m.role === 'system')?.content ?? '';
