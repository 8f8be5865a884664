/**
 * @module socketLimits — how many sockets one address and one caller (an AI key, an
 * administrator) may hold open in this process. Each socket costs memory, a seat per room and
 * Firestore listeners per room, so one leaked key or one busy host must not take a relay down.
 *
 * The address is the TCP peer's: behind a load balancer that is the balancer, so set the
 * per-address limit for what the balancer forwards (or leave it high and rely on the per-caller one).
 */
export interface SocketLimitOptions {
  perAddress: number;
  perCaller: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimitOptions = { perAddress: 500, perCaller: 50 };

export interface SocketLimits {
  /** Counts one more socket for this key; false (and nothing counted) when it is at the limit. */
  admit(kind: 'address' | 'caller', key: string): boolean;
  release(kind: 'address' | 'caller', key: string): void;
}

export function createSocketLimits(options: SocketLimitOptions): SocketLimits {
  const counts = { address: new Map<string, number>(), caller: new Map<string, number>() };
  const max = { address: options.perAddress, caller: options.perCaller };
  return {
    admit(kind, key) {
      const n = counts[kind].get(key) ?? 0;
      if (n >= max[kind]) return false;
      counts[kind].set(key, n + 1);
      return true;
    },
    release(kind, key) {
      const n = counts[kind].get(key) ?? 0;
      if (n <= 1) counts[kind].delete(key);
      else counts[kind].set(key, n - 1);
    },
  };
}
