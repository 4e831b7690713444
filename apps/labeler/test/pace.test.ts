import { describe, expect, it } from 'vitest';
import {
  breakDue,
  EMPTY_PACE,
  LONG_PAUSE_MS,
  median,
  type PaceEvent,
  recordPace,
  summarize,
} from '../src/labeling/pace';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);

/** Events one after another: each shown when the previous was sent, sent `ms` later. */
function run(steps: { ms: number; kind?: PaceEvent['kind']; gapBefore?: number }[]) {
  let state = EMPTY_PACE;
  let at = T0;
  for (const step of steps) {
    at += (step.gapBefore ?? 0) + step.ms;
    state = recordPace(state, { at, ms: step.ms, kind: step.kind ?? 'judgment' });
  }
  return { state, at };
}

describe('pace', () => {
  it('counts judgments (not skips) and takes their median time', () => {
    const { state, at } = run([{ ms: 4000 }, { ms: 10_000 }, { ms: 60_000, kind: 'skip' }, { ms: 6000 }]);
    const summary = summarize(state, at);
    expect(summary.judgments).toBe(3);
    expect(summary.medianSeconds).toBe(6);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('ends the streak at a skip and at a long pause, and after being away', () => {
    expect(
      summarize(run([{ ms: 5000 }, { ms: 5000, kind: 'skip' }, { ms: 5000 }, { ms: 5000 }]).state, T0 + 20_000).streak,
    ).toBe(2);
    const paused = run([{ ms: 5000 }, { ms: 5000 }, { ms: LONG_PAUSE_MS + 1 }, { ms: 5000 }]);
    expect(summarize(paused.state, paused.at).streak).toBe(1);
    const gap = run([{ ms: 5000 }, { ms: 5000 }, { ms: 5000, gapBefore: LONG_PAUSE_MS + 1 }]);
    expect(summarize(gap.state, gap.at).streak).toBe(1);
    const steady = run([{ ms: 5000 }, { ms: 5000 }, { ms: 5000 }]);
    expect(summarize(steady.state, steady.at).streak).toBe(3);
    expect(summarize(steady.state, steady.at + LONG_PAUSE_MS + 1).streak).toBe(0);
  });

  it('reminds after the chosen minutes of continuous labeling, not after a real break, and not once dismissed', () => {
    // 51 minutes of 30-second judgments.
    const steps = Array.from({ length: 102 }, () => ({ ms: 30_000 }));
    const { state, at } = run(steps);
    const summary = summarize(state, at);
    expect(summary.stretchMinutes).toBe(51);
    expect(breakDue(state, summary, 50)).toBe(true);
    expect(breakDue(state, summary, 90)).toBe(false);
    expect(breakDue(state, summary, 0)).toBe(false);
    expect(breakDue({ ...state, reminderDismissed: true }, summary, 50)).toBe(false);

    // Back after a 10-minute break: a new stretch, the dismissal forgotten.
    const away = summarize(state, at + 10 * MIN);
    expect(away.stretchMinutes).toBe(0);
    const back = recordPace(
      { ...state, reminderDismissed: true },
      { at: at + 10 * MIN + 20_000, ms: 20_000, kind: 'judgment' },
    );
    expect(back.reminderDismissed).toBe(false);
    expect(summarize(back, at + 10 * MIN + 20_000).stretchMinutes).toBe(0);
  });
});
