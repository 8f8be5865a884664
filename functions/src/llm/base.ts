/** @module llm/base — the chat model port: an OpenAI-shaped request in, text (or text deltas) out. */
export interface ModelMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  content: string;
}

export interface ModelRequest {
  model: string;
  messages: ModelMessage[];
  /** Sampling options forwarded as the client gave them (temperature, max_tokens…). */
  options: Record<string, unknown>;
}

export interface ModelReply {
  text: string;
  finishReason: string;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

export interface ChatModel {
  /** False for the recall-only stand-in used when no model is configured. */
  readonly isModel: boolean;
  complete(request: ModelRequest, signal: AbortSignal): Promise<ModelReply>;
  /** Yields text deltas; resolves the reply once the stream has ended cleanly. */
  stream(request: ModelRequest, signal: AbortSignal, onDelta: (text: string) => void): Promise<ModelReply>;
}
