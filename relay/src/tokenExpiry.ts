/**
 * @module tokenExpiry — an administrator's socket lives no longer than the ID token it was opened
 * with. Firebase ID tokens last an hour; past that the socket is closed, and a client that wants
 * to go on reconnects with a fresh token (the SDK's `follow` takes a token function for that).
 */
import type { RelaySocket } from './socketTypes.js';

/** The `exp` (ms) of a JWT that has already been verified; undefined when it has none. */
export function tokenExpiry(jwt: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** setTimeout can't wait longer than this (about 24.8 days); a longer wait fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Closes the socket when the administrator's current token expires. Call again whenever the
 * socket's credential changes; the timer follows the latest one.
 */
export function closeAtExpiry(socket: RelaySocket, onExpire: () => void): void {
  clearTimeout(socket.data.expiry);
  socket.data.expiry = undefined;
  const credential = socket.data.credential;
  if (socket.data.principal?.kind !== 'admin' || !credential) return;
  const at = tokenExpiry(credential);
  if (at === undefined) return;
  socket.data.expiry = setTimeout(
    () => {
      if (socket.data.credential === credential) onExpire();
    },
    Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS),
  );
}
