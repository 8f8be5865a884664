/**
 * @module drain — when what was emitted to a socket has left the process. Socket.IO queues every
 * emit without limit (in Engine.IO's write buffer, then in the WebSocket's); a sender that waits
 * for this between batches holds at most one batch per socket in memory, however slow the client.
 *
 * Engine.IO has no public "drained" signal, so this reads its transport: `writable` is false while
 * a write is in flight and becomes true, with a `ready` event, once the write has gone out (the
 * WebSocket's send callback; for long-polling, the client's next poll). Engine.IO's own `ready`
 * listener flushes the next queued packets first, so `writable` still true after it means nothing
 * is left. The transport changes on an upgrade (polling → WebSocket), and a closed connection
 * will never drain.
 */
import type { RelaySocket } from './socketTypes.js';

type Connection = RelaySocket['conn'];

/** True once everything emitted so far has gone out; false if the connection closed first. */
export function drained(conn: Connection): Promise<boolean> {
  if (conn.readyState === 'closing' || conn.readyState === 'closed') return Promise.resolve(false);
  if (conn.transport.writable) return Promise.resolve(true);
  return new Promise((resolve) => {
    let transport = conn.transport;
    const check = () => {
      if (conn.transport.writable) finish(true);
    };
    const onUpgrade = () => {
      transport.off('ready', check);
      transport = conn.transport;
      transport.on('ready', check);
      check();
    };
    const onClose = () => finish(false);
    const finish = (ok: boolean) => {
      transport.off('ready', check);
      conn.off('upgrade', onUpgrade);
      conn.off('close', onClose);
      resolve(ok);
    };
    transport.on('ready', check);
    conn.on('upgrade', onUpgrade);
    conn.on('close', onClose);
  });
}
