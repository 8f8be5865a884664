/**
 * @module config — every setting of the API, read once from the environment in index.ts (a blank
 * variable counts as unset). On Firebase, OPENAI_API_KEY is a secret bound to the function
 * (index.ts reads it with `defineSecret`, which overrides the value read here); the rest are
 * params or `.env` values. Locally the shell's environment reaches the Functions emulator.
 *
 * Request limits (see http/limits.ts; each is a token bucket in one function instance, so the
 * fleet-wide ceiling is the number of instances times these):
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `MW_RATE_PER_KEY` | 3000 | requests a minute per API key or administrator (bursts up to that many) |
 * | `MW_RATE_PER_ADDRESS` | 6000 | requests a minute per client address (an IPv6 /64 counts as one) |
 * | `MW_RATE_AUTH_FAILURES` | 60 | failed authentications per address per 10 minutes |
 * | `MW_TRUST_PROXY_HOPS` | 1 | proxies in front of the app whose `X-Forwarded-For` entry is trusted |
 * | `MW_MAX_RESPONSE_BYTES` | 1048576 | JSON bytes of the items (memories, events, hits) in one answer |
 *
 * Encryption at rest is configured by `MW_KMS_KEY` (production), `MW_LOCAL_KEK` (emulators only)
 * and `MW_ENCRYPT_NEW_AIS` (new AIs get a data key unless it is "off"), read by core's crypto/
 * (the relay needs the same keys), once per process; index.ts builds the keyring at load so a bad
 * setting stops the instance.
 *
 * The defaults are generous on purpose: the test suite and `npm run bench` send thousands of
 * requests a minute from 127.0.0.1 and must never meet them.
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

export interface LimitsConfig {
  /** Requests a minute per API key, or per administrator (their Firebase uid). */
  perCallerPerMinute: number;
  /** Requests a minute per client address. */
  perAddressPerMinute: number;
  /** Failed authentications per address in `AUTH_FAILURE_WINDOW_MS`. */
  authFailuresPerWindow: number;
  /** How many proxies' `X-Forwarded-For` entries to trust (Express `trust proxy`); see app.ts. */
  trustProxyHops: number;
  /** Bytes of JSON of the listed items one response may carry; see http/responseCap.ts. */
  maxResponseBytes: number;
  /** Memories this instance keeps in its search indexes, all AIs together (~3 KB each); see search/aiIndexes.ts. */
  maxIndexedMemories: number;
}

/** The window of `authFailuresPerWindow`: the bucket refills that many tokens in this time. */
export const AUTH_FAILURE_WINDOW_MS = 10 * 60 * 1000;

export const DEFAULT_LIMITS: LimitsConfig = {
  perCallerPerMinute: 3000,
  perAddressPerMinute: 6000,
  authFailuresPerWindow: 60,
  trustProxyHops: 1,
  maxResponseBytes: 1024 * 1024,
  maxIndexedMemories: 100_000,
};

export interface Config {
  llm: LlmConfig;
  /** `local` (offline USE-lite, the default) or `openai`. */
  embedder: 'local' | 'openai';
  embeddingModel: string;
  limits: LimitsConfig;
}

const read = (env: NodeJS.ProcessEnv, name: string): string | null => {
  const v = env[name]?.trim() ?? '';
  return v === '' ? null : v;
};

/** A whole number of at least `min`, or the default when unset; anything else stops the start. */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = read(env, name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) {
    throw new Error(`${name} must be a whole number of at least ${min}, not "${raw}"`);
  }
  return n;
}

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
    limits: {
      perCallerPerMinute: wholeNumber(env, 'MW_RATE_PER_KEY', DEFAULT_LIMITS.perCallerPerMinute),
      perAddressPerMinute: wholeNumber(env, 'MW_RATE_PER_ADDRESS', DEFAULT_LIMITS.perAddressPerMinute),
      authFailuresPerWindow: wholeNumber(env, 'MW_RATE_AUTH_FAILURES', DEFAULT_LIMITS.authFailuresPerWindow),
      trustProxyHops: wholeNumber(env, 'MW_TRUST_PROXY_HOPS', DEFAULT_LIMITS.trustProxyHops, 0),
      maxResponseBytes: wholeNumber(env, 'MW_MAX_RESPONSE_BYTES', DEFAULT_LIMITS.maxResponseBytes, 1024),
      maxIndexedMemories: wholeNumber(env, 'MW_MAX_INDEXED_MEMORIES', DEFAULT_LIMITS.maxIndexedMemories, 1),
    },
  };
}
