/**
 * When to renew a lease and when to warn that it is about to lapse: pure arithmetic on the lease's
 * expiry, so the rules are testable without timers.
 */

/** A labeler counts as present for this long after their last key press, click or scroll. */
export const ACTIVITY_WINDOW_MS = 2 * 60_000;
/** Never heartbeat one lease more often than this (nor more often than a sixth of its length). */
export const MIN_HEARTBEAT_GAP_MS = 30_000;
/** The warning shows this long before expiry (or 20% of the lease time when that is shorter). */
export const WARNING_MS = 60_000;

export interface LeaseTiming {
  /** Epoch ms when the lease lapses. */
  readonly expiresAtMs: number;
  readonly leaseSeconds: number;
}

export function msLeft(lease: LeaseTiming, now: number): number {
  return lease.expiresAtMs - now;
}

export function warningThresholdMs(leaseSeconds: number): number {
  return Math.min(WARNING_MS, leaseSeconds * 1000 * 0.2);
}

/** Show the "about to lapse" warning (also once it has lapsed, until a heartbeat settles it). */
export function shouldWarn(lease: LeaseTiming, now: number): boolean {
  return msLeft(lease, now) <= warningThresholdMs(lease.leaseSeconds);
}

export function isActive(lastActivityAt: number, now: number): boolean {
  return now - lastActivityAt <= ACTIVITY_WINDOW_MS;
}

/**
 * Renew when a third of the lease time is left, while the labeler is present, and not again
 * within the minimum gap (a lapsed lease is tried too: the API revives it if nobody took it).
 */
export function heartbeatDue(lease: LeaseTiming, now: number, lastHeartbeatAt: number | null): boolean {
  const leaseMs = lease.leaseSeconds * 1000;
  if (msLeft(lease, now) > leaseMs / 3) return false;
  const gap = Math.min(MIN_HEARTBEAT_GAP_MS, leaseMs / 6);
  return lastHeartbeatAt === null || now - lastHeartbeatAt >= gap;
}

/** "1:05", "0:09", "0:00" (never negative). */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
