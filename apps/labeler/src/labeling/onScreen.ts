/**
 * What a reload must not lose: the comparison on screen (its lease) and the selection made on it,
 * in sessionStorage, so they belong to this tab only and end with it. The lease is only shown again
 * after a heartbeat confirms it is still the labeler's (labelingSession.resume).
 */
import type { JudgmentDraft } from './judgment';
import type { HeldLease } from './sessionTypes';

const leaseKey = (campaignId: string) => `borda:on-screen:${campaignId}`;
const draftKey = (assignmentId: string) => `borda:draft:${assignmentId}`;

function read<T>(key: string): T | null {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null; // unreadable or blocked storage: nothing to restore
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Full or blocked storage: a reload would start over, as before.
  }
}

export function rememberOnScreen(campaignId: string, lease: HeldLease | null): void {
  write(leaseKey(campaignId), lease);
}

export function recallOnScreen(campaignId: string): HeldLease | null {
  const lease = read<HeldLease>(leaseKey(campaignId));
  return lease && typeof lease.id === 'string' && typeof lease.expiresAtMs === 'number' ? lease : null;
}

export function saveDraft(assignmentId: string, draft: JudgmentDraft | null): void {
  write(draftKey(assignmentId), draft);
}

export function loadDraft(assignmentId: string): JudgmentDraft | null {
  const draft = read<JudgmentDraft>(draftKey(assignmentId));
  return draft && typeof draft === 'object' && 'choice' in draft ? draft : null;
}
