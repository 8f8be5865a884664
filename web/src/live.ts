/** @module live — follow one AI's memory_update events on the relay, as the signed-in admin. */
import { follow, type LiveStatus, type MemoryUpdate } from '@memory-weaver/sdk';
import { useEffect, useEffectEvent, useState } from 'react';
import type { Api } from './api';
import { RELAY_URL } from './firebase';

export type RelayState = 'connecting' | 'live' | 'offline';

/**
 * `onResync`: the relay won't replay what was missed while offline (too much of it); the page
 * reloads what it shows from the API, and the updates after that point follow as usual.
 */
export function useLive(
  api: Api,
  aiUuid: string,
  onUpdate: (u: MemoryUpdate) => void,
  onResync: () => void,
): RelayState {
  const [state, setState] = useState<RelayState>('connecting');
  // Always the caller's latest handler, without resubscribing when it changes (it does every render).
  const handle = useEffectEvent(onUpdate);
  const resync = useEffectEvent(onResync);
  useEffect(() => {
    // A token function, not a token: the relay closes a socket when its ID token expires, and
    // each reconnect then asks Firebase Auth for a current one.
    const live = follow({
      relayUrl: RELAY_URL,
      token: () => api.token(),
      aiUuid,
      onUpdate: (u) => handle(u),
      onResync: () => resync(),
      onStatus: (s: LiveStatus) => setState(s.state === 'joined' ? 'live' : 'offline'),
    });
    return () => live.close();
  }, [api, aiUuid]);
  return state;
}
