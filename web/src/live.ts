/** @module live — follow one AI's memory_update events on the relay, as the signed-in admin. */
import { follow, type LiveStatus, type MemoryUpdate } from '@memory-weaver/sdk';
import { useEffect, useEffectEvent, useState } from 'react';
import type { Api } from './api';
import { RELAY_URL } from './firebase';

export type RelayState = 'connecting' | 'live' | 'offline';

export function useLive(api: Api, aiUuid: string, onUpdate: (u: MemoryUpdate) => void): RelayState {
  const [state, setState] = useState<RelayState>('connecting');
  // Always the caller's latest handler, without resubscribing when it changes (it does every render).
  const handle = useEffectEvent(onUpdate);
  useEffect(() => {
    let live: ReturnType<typeof follow> | undefined;
    let closed = false;
    void api.token().then((token) => {
      if (closed) return;
      live = follow({
        relayUrl: RELAY_URL,
        token,
        aiUuid,
        onUpdate: (u) => handle(u),
        onStatus: (s: LiveStatus) => setState(s.state === 'joined' ? 'live' : 'offline'),
      });
    });
    return () => {
      closed = true;
      live?.close();
    };
  }, [api, aiUuid]);
  return state;
}
