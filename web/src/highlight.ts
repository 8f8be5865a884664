/** @module highlight — the memories changed elsewhere a moment ago, each lit for a few seconds. */
import { useCallback, useState } from 'react';

/** Long enough to notice a card change while looking elsewhere on the page. */
const LIT_MS = 4_000;

/** The ids lit now, and a function that lights one. */
export function useHighlight(): [ReadonlySet<string>, (id: string) => void] {
  const [lit, setLit] = useState<ReadonlySet<string>>(new Set());
  const light = useCallback((id: string) => {
    setLit((h) => new Set(h).add(id));
    setTimeout(() => {
      setLit((h) => {
        const next = new Set(h);
        next.delete(id);
        return next;
      });
    }, LIT_MS);
  }, []);
  return [lit, light];
}
