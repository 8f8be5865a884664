/** @module tests/support/wait — the one fixed wait tests may use, for something that must NOT happen. */

/**
 * Waits `ms` so that something that must not happen (an echo, a duplicate, another AI's event)
 * has had the time to happen. Nothing signals an absence, so this is a window, not a condition;
 * on the local emulators a relayed message or a stored write arrives within tens of milliseconds,
 * so 300 ms is several times what a wrong one would need. Wait for a positive condition instead
 * with `until` (tests/support/relay.ts), `expect.poll` or `vi.waitFor`.
 */
export function quietWindow(ms = 300): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
