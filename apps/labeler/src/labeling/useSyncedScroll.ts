import { type RefObject, useCallback, useRef } from 'react';

/**
 * Scrolls A and B together: scrolling one moves the other to the same fraction of its own length,
 * so two answers of different lengths stay roughly level. The scroll a sync causes is ignored once,
 * or the two panels would chase each other. Below 900px the panels do not scroll on their own (one
 * is shown at a time), so no scroll events come and this does nothing.
 */
export function useSyncedScroll(on: boolean): {
  refA: RefObject<HTMLElement | null>;
  refB: RefObject<HTMLElement | null>;
  onScrollA(): void;
  onScrollB(): void;
} {
  const refA = useRef<HTMLElement | null>(null);
  const refB = useRef<HTMLElement | null>(null);
  const caused = useRef<HTMLElement | null>(null);

  const follow = useCallback(
    (from: HTMLElement | null, to: HTMLElement | null) => {
      if (!on || !from || !to) return;
      if (caused.current === from) {
        caused.current = null;
        return;
      }
      const range = from.scrollHeight - from.clientHeight;
      const fraction = range > 0 ? from.scrollTop / range : 0;
      const target = Math.round(fraction * Math.max(0, to.scrollHeight - to.clientHeight));
      if (Math.abs(to.scrollTop - target) < 1) return; // no scroll event would come to clear `caused`
      caused.current = to;
      to.scrollTop = target;
    },
    [on],
  );

  const onScrollA = useCallback(() => follow(refA.current, refB.current), [follow]);
  const onScrollB = useCallback(() => follow(refB.current, refA.current), [follow]);
  return { refA, refB, onScrollA, onScrollB };
}
