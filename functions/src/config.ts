/**
 * @module config — every setting of the API, read once from the environment in index.ts (a blank
 * variable counts as unset). On Firebase, set OPENAI_API_KEY as a secret and the rest as params or
 * `.env` values; locally the shell's environment reaches the Functions emulator.
 */
export interface LlmConfig {
  /** Null: no model is configured, chat answers in recall-only mode. */
  apiKey: string | null;
  baseURL: string | null;
  defaultModel: string;
  /** Models a request or an AI's settings may choose; the default is always allowed. */
  allowedModels: string[];
  timeoutMs: number;
}

export interface Config {
  llm: LlmConfig;
  /** `local` (offline USE-lite, the default) or `openai`. */
  embedder: 'local' | 'openai';
  embeddingModel: string;
}

const read = (env: NodeJS.ProcessEnv, name: string): string | null => {
  const v = env[name]?.trim() ?? '';
  return v === '' ? null : v;
};

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const defaultModel = read(env, 'MW_DEFAULT_MODEL') ?? 'gpt-4o-mini';
  const allowed = (read(env, 'MW_ALLOWED_MODELS') ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  return {
    llm: {
      apiKey: read(env, 'OPENAI_API_KEY'),
      baseURL: read(env, 'OPENAI_BASE_URL'),
      defaultModel,
      allowedModels: [...new Set([defaultModel, ...allowed])],
      timeoutMs: Number(read(env, 'MW_UPSTREAM_TIMEOUT_MS') ?? 60_000),
    },
    embedder: read(env, 'MW_EMBEDDER') === 'openai' ? 'openai' : 'local',
    embeddingModel: read(env, 'MW_EMBEDDING_MODEL') ?? 'text-embedding-3-small',
  };
}
