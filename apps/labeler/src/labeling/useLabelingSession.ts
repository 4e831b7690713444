import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useApi } from '../auth/session';
import { isActive } from './leaseClock';
import { LabelingSession, type SessionSnapshot } from './labelingSession';
import type { SubmissionQueue } from './submissionQueue';

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'scroll', 'touchstart'] as const;
const TICK_MS = 1_000;

/**
 * Runs a LabelingSession for the page's lifetime: starts leasing on mount, and once a second lets
 * it renew leases while the labeler has touched the page (key, pointer, scroll) in the last 2 minutes.
 */
export function useLabelingSession(
  campaignId: string,
  queue: SubmissionQueue,
): { session: LabelingSession; snapshot: SessionSnapshot } {
  const api = useApi();
  const [session] = useState(() => new LabelingSession({ api, campaignId, queue }));
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const lastActivityAt = useRef(0);

  useEffect(() => {
    session.start();
    return () => session.stop();
  }, [session]);

  useEffect(() => {
    lastActivityAt.current = Date.now();
    const markActive = () => {
      lastActivityAt.current = Date.now();
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, markActive, { capture: true, passive: true });
    const timer = setInterval(() => {
      const now = Date.now();
      session.tick(now, isActive(lastActivityAt.current, now));
    }, TICK_MS);
    return () => {
      clearInterval(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, markActive, { capture: true });
    };
  }, [session]);

  return { session, snapshot };
}
