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

// A class, not closures: one lives on each socket that joined a room.
class Tracker implements SocketPresence {
  private readonly present = new Set<string>();
  constructor(
    private readonly principalOf: () => Principal | undefined,
    private readonly presence: Pick<Presence, 'add' | 'remove'>,
  ) {}

  markPresent(aiUuid: string): void {
    if (this.principalOf()?.kind !== 'ai_key' || this.present.has(aiUuid)) return;
    this.present.add(aiUuid);
    this.presence.add(aiUuid);
  }

  markAbsent(aiUuid: string): void {
    if (this.present.delete(aiUuid)) this.presence.remove(aiUuid);
  }

  markAllAbsent(): void {
    for (const aiUuid of [...this.present]) this.markAbsent(aiUuid);
  }
}

export function trackPresence(
  principalOf: () => Principal | undefined,
  presence: Pick<Presence, 'add' | 'remove'>,
): SocketPresence {
  return new Tracker(principalOf, presence);
}
