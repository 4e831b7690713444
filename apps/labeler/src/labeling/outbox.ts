/**
 * Judgments and skips not yet confirmed by the API, kept in localStorage per user so that neither a
 * failed request nor a closed tab loses one. Each entry carries its idempotency key, so sending it
 * again (from this tab, another tab or after a reload) can only ever store it once.
 */
import type { FlagContentRequest, RankRequest, SkipRequest, SubmitLabelRequest } from '@borda/api-contract';

export interface OutboxError {
  readonly code: string;
  readonly message: string;
}

export interface OutboxEntry {
  /** The idempotency key: one per assignment, the same on every retry. */
  readonly key: string;
  /** rank: a ranking task's order (POST /assignments/:id/rank). */
  readonly kind: 'submit' | 'skip' | 'flag' | 'rank';
  readonly campaignId: string;
  readonly assignmentId: string;
  readonly body: SubmitLabelRequest | SkipRequest | FlagContentRequest | RankRequest;
  readonly queuedAt: number;
  readonly attempts: number;
  /** sending: request in flight; waiting: a retry is scheduled; parked: retries used up, needs "Retry now". */
  readonly state: 'sending' | 'waiting' | 'parked';
  readonly lastError: OutboxError | null;
}

/** One localStorage item per entry, so two tabs of the same user never overwrite each other's. */
export function outboxPrefix(userId: string): string {
  return `borda.outbox.${userId}.`;
}

function isEntry(value: unknown): value is OutboxEntry {
  const entry = value as OutboxEntry;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.key === 'string' &&
    (entry.kind === 'submit' || entry.kind === 'skip' || entry.kind === 'flag' || entry.kind === 'rank') &&
    typeof entry.assignmentId === 'string' &&
    typeof entry.campaignId === 'string' &&
    typeof entry.body === 'object'
  );
}

/** The stored entry under `name`, or null when it is unreadable (corrupt JSON, another shape). */
function readEntry(name: string): OutboxEntry | null {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(name) ?? 'null');
    return isEntry(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Entries left by an earlier page: whatever they were doing then, they are unsent now. Each entry is
 * read on its own, so one corrupt item (a truncated write, an edit by hand) hides none of the others;
 * it stays in storage untouched (it may be the only copy of a judgment) and is counted in `unreadable`.
 */
export function loadOutbox(userId: string): OutboxEntry[] & { unreadable?: number } {
  const prefix = outboxPrefix(userId);
  const entries: OutboxEntry[] & { unreadable?: number } = [];
  let unreadable = 0;
  let names: string[] = [];
  try {
    names = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i) ?? '');
  } catch {
    // Storage blocked: nothing to resume.
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const entry = readEntry(name);
    if (entry) entries.push({ ...entry, state: 'parked' });
    else unreadable++;
  }
  entries.sort((a, b) => a.queuedAt - b.queuedAt);
  if (unreadable > 0) entries.unreadable = unreadable;
  return entries;
}

export function storeEntry(userId: string, entry: OutboxEntry): void {
  try {
    localStorage.setItem(outboxPrefix(userId) + entry.key, JSON.stringify(entry));
  } catch {
    // Storage full or blocked: the entry still lives in memory for this page.
  }
}

export function deleteEntry(userId: string, key: string): void {
  try {
    localStorage.removeItem(outboxPrefix(userId) + key);
  } catch {
    // Nothing to do: a stale entry is re-sent once and answered as a duplicate.
  }
}
