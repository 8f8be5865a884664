/**
 * @module caller — who a socket speaks for, counted against the per-caller socket limit. Every
 * place that sets a socket's caller goes through `becomeCaller`, and the connection's close
 * releases what it holds, so the counts can't drift.
 */
import { ApiError, callerKey, type Principal } from '@memory-weaver/core';
import type { SocketLimits } from './socketLimits.js';
import type { RelaySocket } from './socketTypes.js';

/** Makes `principal` the socket's caller; `rate_limited` when that caller holds too many sockets. */
export function becomeCaller(socket: RelaySocket, principal: Principal, limits: SocketLimits): void {
  const previous = socket.data.principal;
  const key = callerKey(principal);
  if (previous && callerKey(previous) === key) {
    socket.data.principal = principal;
    return;
  }
  if (!limits.admit('caller', key)) {
    const who = principal.kind === 'ai_key' ? 'API key' : 'administrator';
    throw new ApiError('rate_limited', `too many open sockets for this ${who}: close some first`);
  }
  if (previous) limits.release('caller', callerKey(previous));
  socket.data.principal = principal;
}

/** Releases the socket's address and caller when its connection closes, however it closes. */
export function releaseOnClose(socket: RelaySocket, address: string, limits: SocketLimits): void {
  socket.conn.once('close', () => {
    limits.release('address', address);
    const p = socket.data.principal;
    if (p) limits.release('caller', callerKey(p));
  });
}
