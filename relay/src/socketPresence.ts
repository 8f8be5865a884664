/**
 * @module socketPresence — the AIs one socket counts as present for (the rooms it is in), so that
 * the process-wide presence is told each change once. Only AI clients count: the console shows
 * which AIs are connected, and administrators' sockets are not AIs.
 */
import type { Principal } from '@memory-weaver/core';
import type { Presence } from './presence.js';

export interface SocketPresence {
  markPresent(aiUuid: string): void;
  markAbsent(aiUuid: string): void;
  markAllAbsent(): void;
}

export function trackPresence(
  principalOf: () => Principal | undefined,
  presence: Pick<Presence, 'add' | 'remove'>,
): SocketPresence {
  const present = new Set<string>();
  const markAbsent = (aiUuid: string) => {
    if (present.delete(aiUuid)) presence.remove(aiUuid);
  };
  return {
    markPresent(aiUuid) {
      if (principalOf()?.kind !== 'ai_key' || present.has(aiUuid)) return;
      present.add(aiUuid);
      presence.add(aiUuid);
    },
    markAbsent,
    markAllAbsent() {
      for (const aiUuid of [...present]) markAbsent(aiUuid);
    },
  };
}
