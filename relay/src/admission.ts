/**
 * @module admission — paces the credential checks of a burst of connections (a relay restarted
 * under thousands of clients): at most `limit` checks run at once, the others wait their turn,
 * first come first served.
 *
 * Each check is a Firestore read whose gRPC call allocates tens of kilobytes that live for its
 * whole round trip; started all at once, hundreds of them outlive V8's young generation, are
 * promoted, and grow the old heap (and the RSS, which V8 is slow to give back) far past what the
 * sockets themselves need (bench/relay.ts measures it). Requests for the same credential that
 * wait together share one check, which starts after all of them arrived, so each still gets an
 * answer read after it asked: a revocation is never answered from an older read.
 */
export interface Admission {
  /**
   * Runs `task` once fewer than `limit` tasks run. A request whose `key` is already waiting joins
   * that turn instead. `wanted` is asked when the turn comes: a turn none of whose requests still
   * wants it (the clients left meanwhile) is skipped, and they get `gone()`'s error.
   */
  run<T>(key: string, task: () => Promise<T>, wanted: () => boolean): Promise<T>;
  /** Turns waiting (each may serve several requests). */
  waiting(): number;
}

interface Turn {
  /** Starts the turn's task; false when nobody wants it any more (the slot goes on). */
  start(): boolean;
}

export function createAdmission(limit: number, gone: () => Error): Admission {
  let running = 0;
  const queue: Turn[] = [];
  const waitingByKey = new Map<string, { promise: Promise<unknown>; wanted: (() => boolean)[] }>();

  // The finished task's slot passes straight to the next turn that is still wanted.
  const next = () => {
    for (let turn = queue.shift(); turn; turn = queue.shift()) if (turn.start()) return;
    running -= 1;
  };
  const runNow = async <T>(task: () => Promise<T>): Promise<T> => {
    try {
      return await task();
    } finally {
      next();
    }
  };

  return {
    run<T>(key: string, task: () => Promise<T>, wanted: () => boolean): Promise<T> {
      if (running < limit) {
        running += 1;
        return runNow(task);
      }
      const shared = waitingByKey.get(key);
      if (shared) {
        shared.wanted.push(wanted);
        return shared.promise as Promise<T>;
      }
      const askers = [wanted];
      const promise = new Promise<T>((resolve, reject) => {
        queue.push({
          start() {
            waitingByKey.delete(key);
            if (!askers.some((w) => w())) {
              reject(gone());
              return false;
            }
            runNow(task).then(resolve, reject);
            return true;
          },
        });
      });
      waitingByKey.set(key, { promise, wanted: askers });
      return promise;
    },
    waiting: () => queue.length,
  };
}
