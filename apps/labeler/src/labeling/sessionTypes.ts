/** What a labeling session holds and shows (see labelingSession.ts). */
import type { AspectAnswers, LabelChoice, LeasedComparison } from '@borda/api-contract';

export interface HeldLease extends LeasedComparison {
  /** Generated once per assignment; every retry of its judgment or skip reuses it. */
  readonly idempotencyKey: string;
  readonly expiresAtMs: number;
  /** When it became the comparison on screen (timeTakenMs counts from here); null while prefetched. */
  readonly shownAt: number | null;
}

/** 'guidelines': the campaign's guidelines changed and `next` waits for the labeler to acknowledge them. */
export type SessionStatus =
  'loading' | 'labeling' | 'no_comparisons' | 'guidelines' | 'paused' | 'done' | 'closed' | 'error';

export interface SessionSnapshot {
  readonly status: SessionStatus;
  readonly current: HeldLease | null;
  readonly prefetched: HeldLease | null;
  /** Comparisons shown so far on this page: each new one is announced and focused. */
  readonly shown: number;
  readonly doneReason: 'budget_reached' | 'completed' | null;
  /** Why there is nothing to judge while the session keeps looking (status 'no_comparisons'). */
  readonly waitReason: 'no_comparisons' | 'budget_leased' | 'lease_cap' | null;
  /** The campaign's status when the API said it is not active (paused, completed, ...). */
  readonly campaignStatus: string | null;
  readonly error: unknown;
  /** Something the labeler must be told (a lease that lapsed). */
  readonly notice: string | null;
}

export interface Judgment {
  readonly choice: LabelChoice;
  readonly strength?: number;
  readonly rationale?: string;
  /** Answers to the campaign's aspects (only in campaigns that ask some). */
  readonly aspects?: AspectAnswers;
}

export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID exists only in secure contexts; getRandomValues everywhere.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function hold(lease: LeasedComparison): HeldLease {
  return { ...lease, idempotencyKey: newIdempotencyKey(), expiresAtMs: Date.parse(lease.expiresAt), shownAt: null };
}
