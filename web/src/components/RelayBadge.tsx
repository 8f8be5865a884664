/** @module components/RelayBadge — whether the page is following the AI live on the relay. */
import type { RelayState } from '../live';
import { StatusBadge } from './StatusBadge';

const SHOWN = {
  live: { tone: 'ok', text: 'live' },
  connecting: { tone: 'idle', text: 'connecting…' },
  // The SDK asks for the missed events when it rejoins, so nothing is lost meanwhile.
  offline: { tone: 'bad', text: 'relay offline: catching up on reconnect' },
} as const satisfies Record<RelayState, { tone: string; text: string }>;

export function RelayBadge({ state }: { state: RelayState }) {
  return (
    <StatusBadge testId="relay-status" tone={SHOWN[state].tone}>
      {SHOWN[state].text}
    </StatusBadge>
  );
}
