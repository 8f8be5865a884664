/**
 * @module memory/writeLine — one change at a time per AI in this process, in arrival order.
 *
 * Every change of an AI takes the AI's next event number, so two changes of one AI always
 * conflict: racing them makes all but one retry, and with dozens in flight some writers lost
 * every round (64 concurrent edits answered 60 × 500). Lining them up in process turns that race
 * into a queue whose commits each take a few milliseconds. Across processes (more instances, or
 * the Functions emulator's workers) the optimistic numbering in change.ts still decides, with at
 * most one contender per process.
 */
export type WriteLine = <T>(aiUuid: string, task: () => Promise<T>) => Promise<T>;

export function createWriteLine(): WriteLine {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(aiUuid: string, task: () => Promise<T>): Promise<T> => {
    const previous = tails.get(aiUuid) ?? Promise.resolve();
    // A failed change must not stop the ones behind it: the next task runs either way.
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(aiUuid, tail);
    void tail.then(() => {
      if (tails.get(aiUuid) === tail) tails.delete(aiUuid);
    });
    return result;
  };
}
