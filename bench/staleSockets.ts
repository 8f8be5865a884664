/**
 * @module bench/staleSockets — a request that fails because its keep-alive connection was closed
 * under it, before any byte of an answer, is sent again once, and counted.
 *
 * Node's fetch keeps connections open between requests; a server closes an idle one after its
 * keep-alive timeout (5 s for the emulators'). A request that goes out on such a connection just
 * as the server closes it fails with "other side closed". A full bench run on a clean clone died
 * so in the chat section: its handshake went out on a connection that had served the contention
 * section ~10 s earlier (the bench had been busy embedding meanwhile, its event loop blocked), and
 * the Hosting emulator never logged it. Only that failure is retried, and only for a body that can
 * be sent again; `staleSocketRetries()` says how often it happened, and run.ts prints it.
 */
const STALE = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);
let retries = 0;

const isStale = (err: unknown): boolean => {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  return err instanceof TypeError && typeof cause?.code === 'string' && STALE.has(cause.code);
};

export function retryStaleSockets(): void {
  const fetchOnce = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    try {
      return await fetchOnce(input, init);
    } catch (err) {
      const body = init?.body;
      const resendable = body === undefined || body === null || typeof body === 'string';
      if (!isStale(err) || !resendable || input instanceof Request) throw err;
      retries += 1;
      return fetchOnce(input, init);
    }
  };
}

export const staleSocketRetries = (): number => retries;
