/**
 * @module memory/writeLine — one commit at a time per AI in this process; the changes that wait
 * meanwhile go together in the next one (group commit).
 *
 * Every change of an AI takes the AI's next event number, so two changes of one AI always
 * conflict: racing them makes all but one retry, and with dozens in flight some writers lost
 * every round (64 concurrent edits answered 60 × 500). Lining them up in process turns that race
 * into a queue; handing the queue to the committer in groups (change.ts commits a group in one
 * transaction, with consecutive numbers) makes a busy AI's writes per second grow with the number
 * waiting instead of being one commit round-trip at a time. Across processes (more instances, or
 * the Functions emulator's workers) the optimistic numbering in change.ts still decides, with at
 * most one contender per process.
 */

/**
 * Commits `group` (the oldest waiting, in arrival order) and settles each member itself. Returns
 * the members it left for later: they go first into the next group, in the order returned. It must
 * settle or change something each time (change.ts settles at least the group's first member, or
 * marks the members to be committed alone), or the line would hand it the same group forever.
 */
export type CommitGroup<M> = (key: string, group: M[]) => Promise<M[]>;

/** Adds a member to its key's line; `commit` is called with groups of at most `maxGroup`. */
export type WriteLine<M> = (key: string, member: M) => void;

export function createWriteLine<M>(commit: CommitGroup<M>, maxGroup: number): WriteLine<M> {
  const lines = new Map<string, M[]>();
  const drain = async (key: string, waiting: M[]): Promise<void> => {
    while (waiting.length > 0) {
      const group = waiting.splice(0, maxGroup);
      let left: M[] = [];
      try {
        left = await commit(key, group);
      } catch {
        // The committer settles its members; a throw here is its bug, and must not stop the line.
      }
      waiting.unshift(...left);
    }
    lines.delete(key);
  };
  return (key, member) => {
    const waiting = lines.get(key);
    if (waiting) {
      waiting.push(member);
      return;
    }
    const line = [member];
    lines.set(key, line);
    void drain(key, line);
  };
}
