/**
 * Sends judgments and skips in the background. A failure a retry can fix is retried with backoff
 * (1 s, 2 s, 4 s); after that the entry stays in the persistent outbox, shown to the labeler, until
 * "Retry now", the browser coming back online or the next page load sends it. A refusal no retry
 * can fix (LEASE_EXPIRED, BUDGET_EXHAUSTED, ...) leaves the outbox and is reported by name.
 */
import type { SubmitResponse } from '@borda/api-contract';
import { ApiError, type ApiClient, errorMessage } from '../api/client';
import { errorCode } from './errorText';
import { deleteEntry, loadOutbox, type OutboxEntry, storeEntry } from './outbox';

export const RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000];

export type Settlement =
  | { readonly outcome: 'saved'; readonly entry: OutboxEntry; readonly response: SubmitResponse }
  | { readonly outcome: 'rejected'; readonly entry: OutboxEntry; readonly error: unknown };

export interface Rejection {
  readonly key: string;
  readonly kind: OutboxEntry['kind'];
  readonly campaignId: string;
  readonly assignmentId: string;
  readonly error: unknown;
}

export interface QueueSnapshot {
  readonly entries: readonly OutboxEntry[];
  readonly rejected: readonly Rejection[];
}

export type NewEntry = Pick<OutboxEntry, 'key' | 'kind' | 'campaignId' | 'assignmentId' | 'body'>;

/** Worth sending again later: no answer, a server fault, throttling (or a bug we cannot classify). */
function isTransient(error: unknown): boolean {
  return error instanceof ApiError ? error.retryable : true;
}

/** Refused now but fine later: a signed-out labeler sends it after signing in again. */
function isKeptForLater(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'UNAUTHENTICATED';
}

export class SubmissionQueue {
  private snapshot: QueueSnapshot;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Failures since the entry was last (re)started: picks the next backoff delay. */
  private readonly failures = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private readonly settledListeners = new Set<(settlement: Settlement) => void>();
  private resumed = false;

  constructor(
    private readonly api: ApiClient,
    private readonly userId: string,
    private readonly delays: readonly number[] = RETRY_DELAYS_MS,
  ) {
    this.snapshot = { entries: loadOutbox(userId), rejected: [] };
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): QueueSnapshot => this.snapshot;

  onSettled(listener: (settlement: Settlement) => void): () => void {
    this.settledListeners.add(listener);
    return () => this.settledListeners.delete(listener);
  }

  /** Is a judgment for this assignment still on its way (never show that comparison again)? */
  holds(assignmentId: string): boolean {
    return this.snapshot.entries.some((entry) => entry.assignmentId === assignmentId);
  }

  /** Leases whose judgment is still on its way (the API must not hand them back as new work). */
  heldAssignmentIds(): string[] {
    return this.snapshot.entries.map((entry) => entry.assignmentId);
  }

  enqueue(input: NewEntry): void {
    if (this.find(input.key)) return;
    const entry: OutboxEntry = { ...input, queuedAt: Date.now(), attempts: 0, state: 'waiting', lastError: null };
    storeEntry(this.userId, entry);
    this.setEntries([...this.snapshot.entries, entry]);
    void this.send(entry.key);
  }

  /** Sends what an earlier page left unsent (everything on the first call, i.e. once per page load). */
  resume(): void {
    if (!this.resumed) {
      this.resumed = true;
      this.retryNow();
      return;
    }
    // Later mounts (e.g. after signing in again) retry what was held back for want of a session.
    for (const entry of this.snapshot.entries) {
      if (entry.state === 'parked' && entry.lastError?.code === 'UNAUTHENTICATED') void this.send(entry.key);
    }
  }

  /** Sends every entry not already in flight, now, with a fresh round of retries. */
  retryNow(): void {
    for (const entry of this.snapshot.entries) {
      if (entry.state === 'sending') continue;
      this.failures.delete(entry.key);
      void this.send(entry.key);
    }
  }

  dismissRejection(key: string): void {
    this.setRejected(this.snapshot.rejected.filter((rejection) => rejection.key !== key));
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async send(key: string): Promise<void> {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const entry = this.find(key);
    if (!entry || entry.state === 'sending') return;
    this.update(key, { state: 'sending', attempts: entry.attempts + 1 });
    try {
      const path = `/assignments/${encodeURIComponent(entry.assignmentId)}/${entry.kind}`;
      const response = await this.api.post<SubmitResponse>(path, entry.body);
      this.remove(key);
      this.emit({ outcome: 'saved', entry, response });
    } catch (error) {
      this.failed(entry, error);
    }
  }

  private failed(entry: OutboxEntry, error: unknown): void {
    const lastError = { code: errorCode(error), message: errorMessage(error) };
    if (isTransient(error)) {
      const failures = (this.failures.get(entry.key) ?? 0) + 1;
      this.failures.set(entry.key, failures);
      const delay = this.delays[failures - 1];
      if (delay === undefined) {
        this.update(entry.key, { state: 'parked', lastError });
        return;
      }
      this.update(entry.key, { state: 'waiting', lastError });
      this.timers.set(
        entry.key,
        setTimeout(() => void this.send(entry.key), delay),
      );
    } else if (isKeptForLater(error)) {
      this.update(entry.key, { state: 'parked', lastError });
    } else {
      this.remove(entry.key);
      const { key, kind, campaignId, assignmentId } = entry;
      this.setRejected([...this.snapshot.rejected, { key, kind, campaignId, assignmentId, error }]);
      this.emit({ outcome: 'rejected', entry, error });
    }
  }

  private find(key: string): OutboxEntry | undefined {
    return this.snapshot.entries.find((entry) => entry.key === key);
  }

  private update(key: string, change: Partial<OutboxEntry>): void {
    const entries = this.snapshot.entries.map((entry) => (entry.key === key ? { ...entry, ...change } : entry));
    const updated = entries.find((entry) => entry.key === key);
    if (updated) storeEntry(this.userId, updated);
    this.setEntries(entries);
  }

  private remove(key: string): void {
    deleteEntry(this.userId, key);
    this.failures.delete(key);
    this.setEntries(this.snapshot.entries.filter((entry) => entry.key !== key));
  }

  private setEntries(entries: readonly OutboxEntry[]): void {
    this.snapshot = { ...this.snapshot, entries };
    for (const listener of this.listeners) listener();
  }

  private setRejected(rejected: readonly Rejection[]): void {
    this.snapshot = { ...this.snapshot, rejected };
    for (const listener of this.listeners) listener();
  }

  private emit(settlement: Settlement): void {
    for (const listener of this.settledListeners) listener(settlement);
  }
}

const queues = new WeakMap<ApiClient, Map<string, SubmissionQueue>>();

/** One queue per signed-in user and client, shared by every page (in-flight retries survive navigation). */
export function submissionQueueFor(api: ApiClient, userId: string): SubmissionQueue {
  let byUser = queues.get(api);
  if (!byUser) {
    byUser = new Map();
    queues.set(api, byUser);
  }
  let queue = byUser.get(userId);
  if (!queue) {
    queue = new SubmissionQueue(api, userId);
    byUser.set(userId, queue);
  }
  return queue;
}
