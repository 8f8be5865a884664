/**
 * @module transport — one HTTP exchange with the API: the bearer credential, an Idempotency-Key on
 * every mutation (so a request that timed out or hit a 5xx is retried without doubling it), retries
 * with backoff, and an error status turned into a typed error (errors.ts). The resource modules
 * describe endpoints; only this module calls `fetch`.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError } from './errors.js';

export interface ClientOptions {
  /** Where the API answers, e.g. http://127.0.0.1:5000 locally. */
  baseUrl: string;
  /**
   * The AI's API key (`mwk_…`), or an administrator's Firebase ID token, or a function that returns
   * a current one (an ID token expires within the hour; the function is asked before each request).
   */
  apiKey: string | (() => Promise<string>);
  /** Retries of a failed request (network error, 429, 5xx); mutations keep their idempotency key. */
  maxRetries?: number;
  /** Per-request timeout; for a stream, the time until its headers arrive. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  /** JSON body. */
  body?: unknown;
  /** A body sent as it is (a file), with its media type; instead of `body`. */
  file?: { text: string; type: string };
  /** More headers (e.g. a `.brain` passphrase). */
  headers?: Record<string, string>;
  /** Retry a failure (the default); false for a request that is not safe to send twice. */
  retry?: boolean;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | undefined>;
  /** Send an Idempotency-Key (the default for everything but GET). */
  mutation?: boolean;
  /** Leave out the Authorization header (the health check and the API description need none). */
  anonymous?: boolean;
  /** Aborts the request (and a stream's body). */
  signal?: AbortSignal;
}

const newKey = (): string => globalThis.crypto.randomUUID();

export class Transport {
  readonly baseUrl: string;
  private readonly credential: () => Promise<string>;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const { apiKey } = options;
    this.credential = typeof apiKey === 'string' ? () => Promise.resolve(apiKey) : apiKey;
    this.maxRetries = options.maxRetries ?? 2;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** A JSON answer, parsed. The timeout covers the whole exchange. */
  async json<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
    return this.send(method, path, options, async (res) => parseJson(await res.text()) as T, true);
  }

  /** A text answer (a file), whole. The timeout covers the whole exchange. */
  async text(method: Method, path: string, options: RequestOptions = {}): Promise<string> {
    return this.send(method, path, options, (res) => res.text(), true);
  }

  /**
   * A successful response whose body the caller reads (a stream). The timeout covers only the wait
   * for the headers: a long answer may take longer than that to arrive in full.
   */
  async open(method: Method, path: string, options: RequestOptions = {}): Promise<Response> {
    return this.send(method, path, options, (res) => Promise.resolve(res), false);
  }

  /** Sends with retries and reads a 2xx answer with `read`; any other answer throws. */
  private async send<T>(
    method: Method,
    path: string,
    options: RequestOptions,
    read: (res: Response) => Promise<T>,
    timeBody: boolean,
  ): Promise<T> {
    const headers: Record<string, string> = { ...options.headers };
    if (!options.anonymous) headers.authorization = `Bearer ${await this.credential()}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.file) headers['content-type'] = options.file.type;
    if (options.mutation ?? method !== 'GET') headers['idempotency-key'] = newKey();
    const body = options.file
      ? options.file.text
      : options.body !== undefined
        ? JSON.stringify(options.body)
        : undefined;
    const url = `${this.baseUrl}${path}${queryString(options.query)}`;
    const maxRetries = options.retry === false ? 0 : this.maxRetries;
    for (let attempt = 0; ; attempt++) {
      const timeout = new AbortController();
      const timer = setTimeout(() => {
        timeout.abort(new DOMException(`no answer within ${String(this.timeoutMs)} ms`, 'TimeoutError'));
      }, this.timeoutMs);
      let res: Response;
      try {
        res = await this.fetchImpl(url, {
          method,
          headers,
          ...(body !== undefined ? { body } : {}),
          signal: options.signal ? AbortSignal.any([timeout.signal, options.signal]) : timeout.signal,
        });
      } catch (cause) {
        clearTimeout(timer);
        if (options.signal?.aborted) throw cause;
        if (attempt < maxRetries) {
          await backoff(attempt);
          continue;
        }
        if (timeout.signal.aborted) {
          throw new APIConnectionTimeoutError(`no answer from ${this.baseUrl} in ${String(this.timeoutMs)} ms`, cause);
        }
        throw new APIConnectionError(`could not reach ${this.baseUrl}: ${String(cause)}`, cause);
      }
      if (res.ok && !timeBody) {
        clearTimeout(timer);
        return read(res);
      }
      try {
        if (res.ok) return await read(res);
        const parsed = parseJson(await res.text());
        if ((res.status === 429 || res.status >= 500) && attempt < maxRetries) {
          clearTimeout(timer);
          await backoff(attempt, res.headers.get('retry-after'));
          continue;
        }
        throw APIError.generate(res.status, parsed);
      } catch (cause) {
        if (cause instanceof APIError || options.signal?.aborted) throw cause;
        // The answer broke off or ran out of time while its body was read: ask again (a mutation
        // keeps its Idempotency-Key, so it is answered with what it did, not done twice).
        if (attempt < maxRetries) {
          clearTimeout(timer);
          await backoff(attempt);
          continue;
        }
        if (timeout.signal.aborted) {
          throw new APIConnectionTimeoutError(
            `the answer from ${this.baseUrl} took over ${String(this.timeoutMs)} ms`,
            cause,
          );
        }
        throw new APIConnectionError(`the answer from ${this.baseUrl} broke off: ${String(cause)}`, cause);
      } finally {
        clearTimeout(timer);
      }
    }
  }
}

/** Path segments are the caller's ids: encoded, so an id can never reach another path. */
export const segment = (value: string): string => encodeURIComponent(value);

function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  return params.size ? `?${params.toString()}` : '';
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
