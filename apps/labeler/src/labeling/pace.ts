/**
 * The labeler's pace in this session (this tab, sessionStorage): judgments, the median time per
 * judgment, the current streak and how long they have labeled without a break. Computed here from
 * the session's own submissions, so it costs the API nothing and the submit→next path no round trip.
 */

export type PaceKind = 'judgment' | 'skip';

export interface PaceEvent {
  /** When it was sent (ms since epoch). */
  readonly at: number;
  /** Time the comparison was on screen (ms). */
  readonly ms: number;
  readonly kind: PaceKind;
}

export interface PaceState {
  readonly events: readonly PaceEvent[];
  /** Start of the current stretch of continuous labeling; null before the first event. */
  readonly stretchStart: number | null;
  /** The break reminder of this stretch was dismissed. */
  readonly reminderDismissed: boolean;
}

export interface PaceSummary {
  readonly judgments: number;
  readonly medianSeconds: number | null;
  readonly streak: number;
  /** Minutes of continuous labeling so far (0 without events). */
  readonly stretchMinutes: number;
}

/** A gap this long between two judgments (or on one comparison) is a pause: it ends the streak and the stretch. */
export const LONG_PAUSE_MS = 5 * 60_000;
/** Past this many events the oldest are dropped (the medians of a long day stay representative). */
const MAX_EVENTS = 500;

export const EMPTY_PACE: PaceState = { events: [], stretchStart: null, reminderDismissed: false };

/** The time between the previous event and this comparison being shown, or the time on it, was a pause. */
function pausedBefore(event: PaceEvent, previous: PaceEvent | undefined): boolean {
  return !previous || event.ms > LONG_PAUSE_MS || event.at - event.ms - previous.at > LONG_PAUSE_MS;
}

export function recordPace(state: PaceState, event: PaceEvent): PaceState {
  const paused = pausedBefore(event, state.events[state.events.length - 1]);
  return {
    events: [...state.events, event].slice(-MAX_EVENTS),
    // A new stretch starts when this comparison was shown (at most a long pause back).
    stretchStart:
      paused || state.stretchStart === null ? event.at - Math.min(event.ms, LONG_PAUSE_MS) : state.stretchStart,
    reminderDismissed: paused ? false : state.reminderDismissed,
  };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(state: PaceState, now: number): PaceSummary {
  const judgments = state.events.filter((e) => e.kind === 'judgment');
  const ms = median(judgments.map((e) => e.ms));
  const last = state.events[state.events.length - 1];
  // Away for a long pause now: the streak and the stretch are over (no reminder after a real break).
  const away = !last || now - last.at > LONG_PAUSE_MS;
  let streak = 0;
  for (let i = state.events.length - 1; i >= 0 && !away; i--) {
    const event = state.events[i];
    if (event.kind !== 'judgment' || event.ms > LONG_PAUSE_MS) break;
    streak++;
    if (pausedBefore(event, state.events[i - 1])) break;
  }
  return {
    judgments: judgments.length,
    medianSeconds: ms === null ? null : Math.round(ms / 100) / 10,
    streak,
    stretchMinutes: away || state.stretchStart === null ? 0 : Math.floor((now - state.stretchStart) / 60_000),
  };
}

/** True when the labeler should be reminded to take a break (0 minutes: reminders off). */
export function breakDue(state: PaceState, summary: PaceSummary, breakMinutes: number): boolean {
  return breakMinutes > 0 && !state.reminderDismissed && summary.stretchMinutes >= breakMinutes;
}

const paceKey = (campaignId: string) => `borda:pace:${campaignId}`;
const BREAK_KEY = 'borda:break-minutes';
export const BREAK_CHOICES = [25, 50, 90, 0] as const;
export const DEFAULT_BREAK_MINUTES = 50;

export function loadPace(campaignId: string): PaceState {
  try {
    const raw = sessionStorage.getItem(paceKey(campaignId));
    const state = raw ? (JSON.parse(raw) as PaceState) : null;
    return state && Array.isArray(state.events) ? state : EMPTY_PACE;
  } catch {
    return EMPTY_PACE;
  }
}

export function savePace(campaignId: string, state: PaceState): void {
  try {
    sessionStorage.setItem(paceKey(campaignId), JSON.stringify(state));
  } catch {
    // Full or blocked storage: the pace starts over after a reload.
  }
}

export function loadBreakMinutes(): number {
  try {
    const raw = localStorage.getItem(BREAK_KEY);
    const value = raw === null ? DEFAULT_BREAK_MINUTES : Number(raw);
    return (BREAK_CHOICES as readonly number[]).includes(value) ? value : DEFAULT_BREAK_MINUTES;
  } catch {
    return DEFAULT_BREAK_MINUTES;
  }
}

export function saveBreakMinutes(minutes: number): void {
  try {
    localStorage.setItem(BREAK_KEY, String(minutes));
  } catch {
    // Blocked storage: the choice lasts for this page.
  }
}
