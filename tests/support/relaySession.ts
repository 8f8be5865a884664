/**
 * @module tests/support/relaySession — one relay process for a test file: started before its
 * tests (with the file's settings), every socket the file opens closed after them, then stopped.
 */
import { afterAll, beforeAll } from 'vitest';
import { connect, startRelay, type ClientSocket, type RelayProcess } from './relay.js';

export interface RelaySession {
  /** The relay's address (valid once the file's tests run). */
  readonly url: string;
  /** Opens a socket to this relay (or to `url`), closed after the file's tests. */
  open(auth?: Record<string, string>, url?: string): ClientSocket;
  /** Closes `socket` after the file's tests, however it was made. */
  track<S extends { close(): unknown }>(socket: S): S;
}

/** Call at the top level of a test file; `env` is the relay's own settings (e.g. RELAY_MAX_REPLAY). */
export function relaySession(env: Record<string, string> = {}): RelaySession {
  let relay: RelayProcess | undefined;
  const sockets: { close(): unknown }[] = [];
  beforeAll(async () => {
    relay = await startRelay(env);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await relay?.stop();
  });
  const session: RelaySession = {
    get url() {
      if (!relay) throw new Error('the relay did not start (see beforeAll)');
      return relay.url;
    },
    open: (auth, url = session.url) => session.track(connect(url, auth)),
    track: (socket) => {
      sockets.push(socket);
      return socket;
    },
  };
  return session;
}
