import { describe, expect, it } from 'vitest';
import type { Principal } from '@memory-weaver/core';
import { trackPresence } from '../../../relay/src/socketPresence.js';

const aiClient: Principal = { kind: 'ai_key', keyId: 'k1', aiUuid: 'ai-1', aiName: 'one', cached: false };
const admin: Principal = { kind: 'admin', uid: 'u1' };

/** Records what the process-wide presence is told. */
const recorder = () => {
  const calls: string[] = [];
  return { calls, add: (a: string) => calls.push(`add ${a}`), remove: (a: string) => calls.push(`remove ${a}`) };
};

describe("one socket's presence", () => {
  it('tells the process once per AI however often the socket joins it', () => {
    const presence = recorder();
    const mine = trackPresence(() => aiClient, presence);
    mine.markPresent('ai-1');
    mine.markPresent('ai-1');
    expect(presence.calls).toEqual(['add ai-1']);
  });

  it('does not count an administrator as a connected AI', () => {
    const presence = recorder();
    trackPresence(() => admin, presence).markPresent('ai-1');
    expect(presence.calls).toEqual([]);
  });

  it('does not count a socket that has not authenticated', () => {
    const presence = recorder();
    trackPresence(() => undefined, presence).markPresent('ai-1');
    expect(presence.calls).toEqual([]);
  });

  it('removes only an AI it had counted', () => {
    const presence = recorder();
    const mine = trackPresence(() => aiClient, presence);
    mine.markAbsent('ai-1');
    mine.markPresent('ai-1');
    mine.markAbsent('ai-1');
    mine.markAbsent('ai-1');
    expect(presence.calls).toEqual(['add ai-1', 'remove ai-1']);
  });

  it('removes every AI it counted when the socket goes', () => {
    const presence = recorder();
    const mine = trackPresence(() => aiClient, presence);
    mine.markPresent('ai-1');
    mine.markPresent('ai-2');
    mine.markAllAbsent();
    mine.markAllAbsent();
    expect(presence.calls).toEqual(['add ai-1', 'add ai-2', 'remove ai-1', 'remove ai-2']);
  });
});
