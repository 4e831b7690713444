/**
 * The labeling session of one campaign, apart from any JSX: the comparison on screen plus one
 * prefetched lease, judgments handed to the submission queue (the next comparison shows at once),
 * lease renewal, and what to show when there is nothing to judge. Components read `getSnapshot()`.
 */
import { GUIDELINES_NOT_ACKNOWLEDGED, type HeartbeatResponse, type NextResponse } from '@borda/api-contract';
import { ApiError, type ApiClient } from '../api/client';
import { explainError } from './errorText';
import { heartbeatDue } from './leaseClock';
import { recallOnScreen, rememberOnScreen, saveDraft } from './onScreen';
import type { OutboxEntry } from './outbox';
import { hold, type HeldLease, type Judgment, type SessionSnapshot } from './sessionTypes';
import type { Settlement, SubmissionQueue } from './submissionQueue';

export type { HeldLease, Judgment, SessionSnapshot, SessionStatus } from './sessionTypes';

export interface SessionOptions {
  readonly api: ApiClient;
  readonly campaignId: string;
  readonly queue: Pick<SubmissionQueue, 'enqueue' | 'holds' | 'heldAssignmentIds' | 'onSettled'>;
  /** How often to look again when nothing is available or the campaign is paused. */
  readonly pollMs?: number;
}

const LAPSED_CODES = new Set(['LEASE_EXPIRED', 'LEASE_NOT_HELD', 'NOT_FOUND']);
const MAX_TIME_TAKEN_MS = 86_400_000;

const INITIAL: SessionSnapshot = {
  status: 'loading',
  current: null,
  prefetched: null,
  shown: 0,
  doneReason: null,
  waitReason: null,
  campaignStatus: null,
  error: null,
  notice: null,
};

export class LabelingSession {
  private snapshot: SessionSnapshot = INITIAL;
  private readonly listeners = new Set<() => void>();
  /** Assignments judged or skipped here: never shown again, even when `next` hands one back. */
  private readonly finished = new Set<string>();
  private readonly lastBeat = new Map<string, number>();
  private readonly beating = new Set<string>();
  private filling = false;
  private fillAgain = false;
  private stopped = true;
  private poller: ReturnType<typeof setInterval> | undefined;
  private unsubscribeQueue: (() => void) | undefined;

  constructor(private readonly options: SessionOptions) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SessionSnapshot => this.snapshot;

  start(): void {
    this.stopped = false;
    this.unsubscribeQueue = this.options.queue.onSettled((settlement) => this.settled(settlement));
    this.poller = setInterval(() => void this.fill(), this.options.pollMs ?? 10_000);
    void this.resume().then(() => this.fill());
  }

  /** After a reload: the comparison that was on screen comes back, once the API confirms it is still ours. */
  private async resume(): Promise<void> {
    const { campaignId } = this.options;
    const stored = recallOnScreen(campaignId);
    if (!stored || this.snapshot.current) return;
    if (stored.expiresAtMs <= Date.now() || this.options.queue.holds(stored.id)) {
      rememberOnScreen(campaignId, null);
      return;
    }
    try {
      const { expiresAt } = await this.options.api.post<HeartbeatResponse>(
        `/assignments/${encodeURIComponent(stored.id)}/heartbeat`,
      );
      if (this.stopped || this.snapshot.current) return;
      this.lastBeat.set(stored.id, Date.now());
      this.show({ ...stored, expiresAt, expiresAtMs: Date.parse(expiresAt) });
    } catch {
      // Lapsed, someone else's, or unreachable: start with a fresh lease instead.
      rememberOnScreen(campaignId, null);
    }
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.poller);
    this.unsubscribeQueue?.();
  }

  /** Judges the comparison on screen: queued for sending, and the next one shows at once. */
  submit(judgment: Judgment): void {
    this.finish('submit', (lease) => ({
      ...judgment,
      timeTakenMs: this.elapsed(lease),
      idempotencyKey: lease.idempotencyKey,
    }));
  }

  skip(reason: string): void {
    this.finish('skip', (lease) => ({
      reason,
      timeTakenMs: this.elapsed(lease),
      idempotencyKey: lease.idempotencyKey,
    }));
  }

  /** Flags the comparison on screen as harmful content: a skip for this labeler, and a flag for the researcher. */
  flag(note: string): void {
    this.finish('flag', (lease) => ({
      ...(note ? { note } : {}),
      timeTakenMs: this.elapsed(lease),
      idempotencyKey: lease.idempotencyKey,
    }));
  }

  /** Ranks the ranking task on screen (`order`: its response ids, best first): queued like a judgment. */
  rank(order: readonly string[]): void {
    this.finish('rank', (lease) => ({
      order: [...order],
      timeTakenMs: this.elapsed(lease),
      idempotencyKey: lease.idempotencyKey,
    }));
  }

  /** Called about once a second: renews due leases while the labeler is present. */
  tick(now: number, active: boolean): void {
    if (!active) return;
    for (const lease of [this.snapshot.current, this.snapshot.prefetched]) {
      if (lease && heartbeatDue(lease, now, this.lastBeat.get(lease.id) ?? null)) void this.heartbeat(lease.id);
    }
  }

  /** "I'm still here": renew the comparison on screen now. */
  stillHere(): Promise<void> {
    const id = this.snapshot.current?.id;
    return id ? this.heartbeat(id) : Promise.resolve();
  }

  dismissNotice(): void {
    this.set({ notice: null });
  }

  /** Look for work now (the "Check now" button of the waiting states). */
  refresh(): void {
    if (this.snapshot.status === 'error') this.set({ status: 'loading', error: null });
    void this.fill();
  }

  private finish(kind: OutboxEntry['kind'], body: (lease: HeldLease) => OutboxEntry['body']): void {
    const lease = this.snapshot.current;
    if (!lease) return;
    this.finished.add(lease.id);
    saveDraft(lease.id, null);
    this.options.queue.enqueue({
      key: lease.idempotencyKey,
      kind,
      campaignId: this.options.campaignId,
      assignmentId: lease.id,
      body: body(lease),
    });
    this.set({ notice: null });
    this.advance();
  }

  private elapsed(lease: HeldLease): number {
    return Math.min(MAX_TIME_TAKEN_MS, Math.max(0, Math.round(Date.now() - (lease.shownAt ?? Date.now()))));
  }

  private advance(): void {
    const next = this.snapshot.prefetched;
    if (next) this.show(next);
    else {
      rememberOnScreen(this.options.campaignId, null);
      this.set({ current: null, status: 'loading' });
    }
    void this.fill();
  }

  private show(lease: HeldLease): void {
    // A comparison restored after a reload keeps its first showing (time taken counts from there).
    const current = { ...lease, shownAt: lease.shownAt ?? Date.now() };
    rememberOnScreen(this.options.campaignId, current);
    const prefetched = this.snapshot.prefetched?.id === lease.id ? null : this.snapshot.prefetched;
    this.set({ current, prefetched, status: 'labeling', shown: this.snapshot.shown + 1, error: null });
  }

  /** Nothing more to lease: the campaign is over, or it answered with an error no retry fixes. */
  private get terminal(): boolean {
    const { status, error } = this.snapshot;
    if (status === 'error') return !(error instanceof ApiError && error.retryable);
    return status === 'done' || status === 'closed';
  }

  private needsLease(): boolean {
    return !this.stopped && !this.terminal && (!this.snapshot.current || !this.snapshot.prefetched);
  }

  /** Leases until a comparison is on screen and one is prefetched (one request at a time). */
  private async fill(): Promise<void> {
    if (this.filling) {
      this.fillAgain = true;
      return;
    }
    this.filling = true;
    try {
      do {
        this.fillAgain = false;
        while (this.needsLease() && (await this.leaseOne()));
      } while (this.fillAgain && this.needsLease());
    } finally {
      this.filling = false;
    }
  }

  /** One POST /next; true when it gave a comparison we can use. */
  private async leaseOne(): Promise<boolean> {
    const onScreen = this.snapshot.current !== null;
    let response: NextResponse;
    try {
      response = await this.options.api.post<NextResponse>(
        `/campaigns/${encodeURIComponent(this.options.campaignId)}/next`,
        { holding: this.holding() },
      );
    } catch (error) {
      if (error instanceof ApiError && error.code === 'CAMPAIGN_NOT_ACTIVE') {
        const status = (error.details as { status?: string } | undefined)?.status ?? 'paused';
        const waiting = status === 'paused' || status === 'draft';
        this.set(
          onScreen || this.terminal
            ? { campaignStatus: status }
            : { status: waiting ? 'paused' : 'closed', campaignStatus: status },
        );
      } else if (!this.snapshot.current && !this.terminal) {
        this.set({ status: 'error', error });
      }
      return false;
    }
    if (this.terminal) return false;
    this.set({ campaignStatus: null });
    if (response.assignment === null) {
      if (!this.snapshot.current) {
        // The guidelines gate is answered before the lease query (see GuidelinesService.gate in the API).
        const reason: string = response.reason;
        this.set(
          reason === GUIDELINES_NOT_ACKNOWLEDGED
            ? { status: 'guidelines' }
            : response.reason === 'budget_reached'
              ? { status: 'done', doneReason: 'budget_reached' }
              : { status: 'no_comparisons', waitReason: response.reason },
        );
      }
      return false;
    }
    const lease = response.assignment;
    // At the lease cap `next` hands back the oldest lease, which may be one already on screen or sent.
    if (this.isKnown(lease.id)) return false;
    if (!this.snapshot.current) this.show(hold(lease));
    else this.set({ prefetched: hold(lease) });
    return true;
  }

  /** Leases this page already has: at the prefetch cap the API hands back another one (left by a closed tab). */
  private holding(): string[] {
    const { current, prefetched } = this.snapshot;
    const ids = new Set(this.options.queue.heldAssignmentIds());
    if (current) ids.add(current.id);
    if (prefetched) ids.add(prefetched.id);
    return [...ids];
  }

  private isKnown(id: string): boolean {
    const { current, prefetched } = this.snapshot;
    return current?.id === id || prefetched?.id === id || this.finished.has(id) || this.options.queue.holds(id);
  }

  private async heartbeat(id: string): Promise<void> {
    if (this.beating.has(id)) return;
    this.beating.add(id);
    this.lastBeat.set(id, Date.now());
    try {
      const { expiresAt } = await this.options.api.post<HeartbeatResponse>(
        `/assignments/${encodeURIComponent(id)}/heartbeat`,
      );
      const renew = (lease: HeldLease | null) =>
        lease?.id === id ? { ...lease, expiresAt, expiresAtMs: Date.parse(expiresAt) } : lease;
      this.set({ current: renew(this.snapshot.current), prefetched: renew(this.snapshot.prefetched) });
    } catch (error) {
      // A failure a retry can fix is tried again on a later tick.
      if (error instanceof ApiError && LAPSED_CODES.has(error.code)) this.lapse(id, error);
    } finally {
      this.beating.delete(id);
    }
  }

  /** The lease is gone: say so if it was on screen, and move on. */
  private lapse(id: string, error: ApiError): void {
    if (this.snapshot.current?.id === id) {
      this.set({
        notice: `That comparison is no longer yours: ${explainError(error)}. Moved on to the next one.`,
      });
      this.advance();
    } else if (this.snapshot.prefetched?.id === id) {
      this.set({ prefetched: null });
      void this.fill();
    }
  }

  private settled(settlement: Settlement): void {
    if (settlement.entry.campaignId !== this.options.campaignId) return;
    const budgetSpent =
      (settlement.outcome === 'saved' && settlement.response.campaignCompleted) ||
      (settlement.outcome === 'rejected' &&
        settlement.error instanceof ApiError &&
        settlement.error.code === 'BUDGET_EXHAUSTED');
    if (budgetSpent) {
      this.set({ status: 'done', doneReason: 'completed', current: null, prefetched: null });
      return;
    }
    // Its lease is no longer held: there is room to prefetch again.
    void this.fill();
  }

  private set(change: Partial<SessionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }
}
