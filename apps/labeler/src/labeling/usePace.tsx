import { useCallback, useEffect, useState } from 'react';
import {
  breakDue,
  loadBreakMinutes,
  loadPace,
  type PaceKind,
  type PaceState,
  recordPace,
  saveBreakMinutes,
  savePace,
  summarize,
} from './pace';
import { PacePanel } from './PacePanel';

/** The session's pace, kept in sessionStorage per campaign; `record` is called as each judgment or skip is sent. */
export function usePace(campaignId: string) {
  const [state, setState] = useState<PaceState>(() => loadPace(campaignId));
  const [breakMinutes, setBreakMinutes] = useState(loadBreakMinutes);
  // Written after the render, off the submit path.
  useEffect(() => savePace(campaignId, state), [campaignId, state]);
  const record = useCallback((kind: PaceKind, shownAt: number | null) => {
    const at = Date.now();
    setState((current) => recordPace(current, { at, ms: Math.max(0, at - (shownAt ?? at)), kind }));
  }, []);
  const dismiss = useCallback(() => setState((current) => ({ ...current, reminderDismissed: true })), []);
  const chooseBreak = useCallback((minutes: number) => {
    setBreakMinutes(minutes);
    saveBreakMinutes(minutes);
  }, []);
  return { state, breakMinutes, record, dismiss, chooseBreak };
}

/** Re-reads the clock every 30 s on its own, so the comparison screen does not re-render with it. */
export function SessionPace({ pace }: { pace: ReturnType<typeof usePace> }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  // A new event is a new "now" too (the counts change at once).
  const last = pace.state.events[pace.state.events.length - 1];
  const at = Math.max(now, last?.at ?? 0);
  const summary = summarize(pace.state, at);
  return (
    <PacePanel
      summary={summary}
      breakMinutes={pace.breakMinutes}
      breakDue={breakDue(pace.state, summary, pace.breakMinutes)}
      onBreakMinutes={pace.chooseBreak}
      onDismissBreak={pace.dismiss}
    />
  );
}
