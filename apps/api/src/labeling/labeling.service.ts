/**
 * Leasing, heartbeats, judgments and skips. Access is checked from one query (campaign, assignment,
 * live leases) instead of CampaignAccessService's two, because `next` is the service's hottest route;
 * the rules are the same (admin, owning researcher, assigned labeler; anyone else gets NOT_FOUND).
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import type {
  CrowdConflict,
  HeartbeatResponse,
  LabelerProgress,
  LabelView,
  LeasedComparison,
  NextResponse,
  SkipRequest,
  SubmitLabelRequest,
  SubmitResponse,
} from '@borda/api-contract';
import type { AuthUser } from '../auth/decorators';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { AppError } from '../errors/app-error';
import { belowHalf } from '../jobs/buffer-target';
import { JobChain } from '../jobs/job-chain.service';
import { LabelingRepository, type LabelRow, type NewLabel } from './labeling.repository';
import { type LabelingContext, LeaseRepository, type LeaseRow } from './lease.repository';
import { isUniqueViolation, isUuid } from '../database';
import { labelerCounts } from './labeler-work.repository';
import { RevisionRepository } from './revision.repository';
import { checkedAspects, labelAspects } from './aspect-answers';
import type { StoredCounters } from './labeling.repository';

/**
 * Within this many labels of the budget, leases serialise per campaign and recount exactly (see
 * LeaseRepository.budgetState). Before that, more than this many leases would have to be in
 * flight at once for the parallel path to over-lease, and a submit past the budget is refused anyway.
 */
const NEAR_BUDGET = 256;

/** The stored outcome is relative to comparison.first: 1 first preferred, 0 second, 0.5 tie, null none. */
export function outcomeOf(
  choice: NewLabel['choice'] | NonNullable<NewLabel['trainingChoice']>,
  firstOnLeft: boolean,
): number | null {
  if (choice === 'tie') return 0.5;
  if (choice === 'A') return firstOnLeft ? 1 : 0;
  if (choice === 'B') return firstOnLeft ? 0 : 1;
  return null;
}

function leaseView(row: LeaseRow, leaseSeconds: number): LeasedComparison {
  const first = { id: row.first_id, text: row.first_text };
  const second = { id: row.second_id, text: row.second_text };
  return {
    id: row.id,
    comparisonId: row.comparison_id,
    expiresAt: row.expires_at.toISOString(),
    leaseSeconds,
    prompt: { id: row.prompt_id, text: row.prompt_text, messages: row.messages },
    left: row.first_on_left ? first : second,
    right: row.first_on_left ? second : first,
    ...(row.ranking ? { ranking: row.ranking } : {}),
  };
}

export function labelView(row: LabelRow): LabelView {
  return {
    id: row.id,
    assignmentId: row.assignment_id,
    comparisonId: row.comparison_id,
    choice: row.choice,
    strength: row.strength,
    rationale: row.rationale,
    skipReason: row.skip_reason,
    timeTakenMs: row.time_taken_ms,
    ...labelAspects(row),
    leftResponseId: row.left_response_id,
    rightResponseId: row.right_response_id,
    createdAt: row.created_at.toISOString(),
  };
}

/** The undo deadline of a new judgment and, after a missed gold check in a campaign that says so, the expected side. */
function judgmentExtras(label: LabelRow, counters: StoredCounters): Pick<SubmitResponse, 'undoUntil' | 'goldFeedback'> {
  const extras: { undoUntil?: string; goldFeedback?: SubmitResponse['goldFeedback'] } = {};
  if (label.choice !== 'skip' && counters.undo_window_seconds > 0) {
    extras.undoUntil = new Date(label.created_at.getTime() + counters.undo_window_seconds * 1000).toISOString();
  }
  const expected = counters.gold_response_id === label.left_response_id ? 'A' : 'B';
  if (label.gold && counters.gold_feedback && label.choice !== 'skip' && label.choice !== expected) {
    extras.goldFeedback = { correct: false, expected };
  }
  return extras;
}

/** Same request again? Every field the client sent must match what the key stored. */
function sameRequest(stored: LabelRow, assignmentId: string, label: NewLabel): boolean {
  return (
    stored.assignment_id === assignmentId &&
    stored.choice === label.choice &&
    stored.strength === label.strength &&
    stored.rationale === label.rationale &&
    stored.skip_reason === label.skipReason &&
    stored.time_taken_ms === label.timeTakenMs
  );
}

type LabelInput = Omit<NewLabel, 'leftResponseId' | 'rightResponseId' | 'outcome'>;

@Injectable()
export class LabelingService {
  private readonly logger = new Logger('LabelingService');

  constructor(
    private readonly repository: LabelingRepository,
    private readonly leases: LeaseRepository,
    private readonly revisions: RevisionRepository,
    private readonly jobChain: JobChain,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async access(user: AuthUser, campaignId: string): Promise<LabelingContext> {
    const ctx = isUuid(campaignId) ? await this.leases.context({ campaignId, userId: user.id }) : null;
    const allowed =
      ctx && (user.role === 'admin' || (user.role === 'researcher' && ctx.ownerId === user.id) || ctx.assigned);
    if (!ctx || !allowed) throw AppError.notFound('campaign', campaignId);
    return ctx;
  }

  /** `holding`: leases the client already has (never handed back to it). */
  async next(user: AuthUser, campaignId: string, holding: readonly string[] = []): Promise<NextResponse> {
    if (isUuid(campaignId)) {
      const options = { maxLeases: this.config.maxLeasesPerLabeler, headroom: NEAR_BUDGET };
      // A gold check when it is this labeler's turn (one statement; nothing when the campaign has no gold).
      const gold = await this.leases.leaseGold(user, campaignId, { ...options, firstOnLeft: randomInt(2) === 0 });
      if (gold) return { assignment: leaseView(gold, gold.lease_seconds) };
      // The common case: one statement that takes a slot (never corrected afterwards: see takeSlot).
      const leased = await this.leases.leaseFast(user, campaignId, { ...options, firstOnLeft: randomInt(2) === 0 });
      if (leased) return { assignment: leaseView(leased, leased.lease_seconds) };
    }
    return this.nextCarefully(user, campaignId, holding);
  }

  /** Every case the fast lease declines: access, status, budget end, prefetch cap, empty buffer. */
  private async nextCarefully(user: AuthUser, campaignId: string, holding: readonly string[]): Promise<NextResponse> {
    const ctx = await this.access(user, campaignId);
    if (ctx.status !== 'active') {
      throw new AppError('CAMPAIGN_NOT_ACTIVE', `campaign ${campaignId} is ${ctx.status}`, { status: ctx.status });
    }
    if (ctx.paused) {
      throw new AppError('CONFLICT', `a researcher paused your work on campaign ${campaignId}`, {
        reason: 'LABELER_PAUSED' satisfies CrowdConflict,
      });
    }
    const scope = { campaignId, userId: user.id };
    if (ctx.labelCount >= ctx.budget) return { assignment: null, reason: 'budget_reached' };
    // Leases count against the budget too, so labelers are not given work the budget cannot take. That
    // state is temporary (leases are judged or expire), so it has its own retryable reason.
    if (ctx.labelCount + ctx.liveLeases >= ctx.budget) {
      const held = await this.leases.oldestLease(scope, holding);
      return held ? { assignment: leaseView(held, ctx.leaseSeconds) } : { assignment: null, reason: 'budget_leased' };
    }
    const leased = await this.leases.lease(scope, {
      maxLeases: this.config.maxLeasesPerLabeler,
      leaseSeconds: ctx.leaseSeconds,
      firstOnLeft: randomInt(2) === 0,
      budgetGuard: ctx.budget - ctx.labelCount - ctx.liveLeases <= NEAR_BUDGET,
    });
    if (leased === 'spent') return { assignment: null, reason: 'budget_reached' };
    if (leased === 'leased') return { assignment: null, reason: 'budget_leased' };
    if (leased === 'cap') {
      // At the prefetch cap: hand back the oldest lease the client does not have (one a closed tab left).
      const held = await this.leases.oldestLease(scope, holding);
      return held ? { assignment: leaseView(held, ctx.leaseSeconds) } : { assignment: null, reason: 'lease_cap' };
    } else if (leased) {
      return { assignment: leaseView(leased, ctx.leaseSeconds) };
    }
    // Nothing to give: ask for a refill (the HTTP process only enqueues; the worker selects).
    await this.followUp(() => this.jobChain.refillIfLow(campaignId));
    return { assignment: null, reason: 'no_comparisons' };
  }

  /** Locks the assignment for the caller: unknown → NOT_FOUND, someone else's → LEASE_NOT_HELD. */
  private async own(tx: Parameters<LabelingRepository['lockAssignment']>[0], user: AuthUser, id: string) {
    const a = isUuid(id) ? await this.repository.lockAssignment(tx, id) : null;
    if (!a) throw AppError.notFound('assignment', id);
    if (a.labeler_id !== user.id) throw new AppError('LEASE_NOT_HELD', `assignment ${id} is not leased to you`);
    return a;
  }

  /**
   * Extends a live lease by the campaign's lease time. An expired lease is revived when nobody
   * re-took its slot and the comparison still needs labels (so a labeler back from a break keeps
   * their work); otherwise LEASE_EXPIRED.
   */
  heartbeat(user: AuthUser, id: string): Promise<HeartbeatResponse> {
    return this.repository.transaction(async (tx) => {
      const a = await this.own(tx, user, id);
      if (a.state === 'submitted' || a.state === 'skipped') {
        throw new AppError('LEASE_NOT_HELD', `assignment ${id} was already ${a.state}`, { state: a.state });
      }
      // A gold check holds no slot of anyone's: it can always be revived.
      const revivable = !a.live && a.state === 'leased' && a.campaign_status === 'active' && (a.gold || a.slot_held);
      if (!a.live && !revivable) throw new AppError('LEASE_EXPIRED', `the lease of assignment ${id} expired`);
      return { expiresAt: (await this.repository.extend(tx, a.id)).toISOString() };
    });
  }

  async submit(user: AuthUser, id: string, body: SubmitLabelRequest): Promise<SubmitResponse> {
    const asked = isUuid(id) ? await this.repository.aspectsOfAssignment(user.id, id) : null;
    return this.record(user, id, {
      ...checkedAspects(asked, body.aspects),
      choice: body.choice,
      strength: body.strength ?? null,
      rationale: body.rationale ?? null,
      skipReason: null,
      timeTakenMs: body.timeTakenMs ?? null,
      idempotencyKey: body.idempotencyKey,
    });
  }

  skip(user: AuthUser, id: string, body: SkipRequest): Promise<SubmitResponse> {
    return this.record(user, id, {
      choice: 'skip',
      strength: null,
      rationale: null,
      skipReason: body.reason,
      timeTakenMs: body.timeTakenMs ?? null,
      idempotencyKey: body.idempotencyKey,
    });
  }

  private async record(user: AuthUser, id: string, input: LabelInput): Promise<SubmitResponse> {
    if (!isUuid(id)) throw AppError.notFound('assignment', id);
    let result: Awaited<ReturnType<LabelingService['storeOnce']>> | null = null;
    try {
      result = await this.repository.storeLive(user.id, id, input); // the common case, one statement
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    try {
      result ??= await this.storeOnce(user, id, input);
    } catch (error) {
      // The same key raced in on another assignment: the retry finds it and answers accordingly.
      if (!isUniqueViolation(error)) throw error;
      result = await this.storeOnce(user, id, input);
    }
    if (result.duplicate) return result;
    const { label, counters, campaignId } = result;
    const extras = judgmentExtras(label, counters);
    let campaignCompleted = false;
    if (counters.label_count >= counters.budget && label.choice !== 'skip') {
      campaignCompleted = await this.repository.completeIfBudgetSpent({ campaignId });
      if (campaignCompleted) await this.followUp(() => this.jobChain.afterComplete(campaignId));
    }
    // afterLabel = fit trigger + buffer refill; both conditions were read in the submit statement,
    // so the common case (neither due) costs no extra query.
    const bufferLow = belowHalf(counters.available_sample, counters.buffer_target);
    if (!campaignCompleted && (counters.fit_due || bufferLow)) {
      await this.followUp(() => this.jobChain.afterLabel(campaignId));
    }
    return { label: labelView(label), duplicate: false, campaignCompleted, ...extras };
  }

  /** The careful path: every case the one-statement submit declines, diagnosed under row locks. */
  private storeOnce(user: AuthUser, id: string, input: LabelInput) {
    const key = input.idempotencyKey;
    return this.repository.transaction(async (tx) => {
      const a = await this.own(tx, user, id);
      const [first, second] = a.first_on_left
        ? [a.first_response_id, a.second_response_id]
        : [a.second_response_id, a.first_response_id];
      const label: NewLabel = {
        ...input,
        leftResponseId: first,
        rightResponseId: second,
        outcome: outcomeOf(input.trainingChoice ?? input.choice, a.first_on_left),
      };
      const keyed = await this.repository.labelByKey(tx, user.id, key);
      if (keyed) {
        // A label revised since: the retry of its submit still carries the original choice.
        const original = await this.revisions.original(tx, keyed.id);
        const asSubmitted = original ? { ...keyed, choice: original.choice, strength: original.strength } : keyed;
        if (!sameRequest(asSubmitted as LabelRow, a.id, label)) {
          throw new AppError('IDEMPOTENCY_MISMATCH', `idempotencyKey ${key} was used for a different request`, {
            field: 'idempotencyKey',
            assignmentId: keyed.assignment_id,
          });
        }
        return { duplicate: true as const, label: labelView(keyed), campaignCompleted: false };
      }
      if (a.state === 'submitted' || a.state === 'skipped') {
        // A label is stored once per assignment: a retry under a new key gets the stored one.
        const existing = await this.repository.labelOfAssignment(tx, a.id);
        if (existing && existing.choice === label.choice) {
          return { duplicate: true as const, label: labelView(existing), campaignCompleted: false };
        }
        if (existing) {
          // A changed mind is never dropped silently: the stored judgment, and the way to change it.
          throw new AppError(
            'CONFLICT',
            `assignment ${id} already has the judgment ${existing.choice}; change it with POST /assignments/${id}/revise`,
            { reason: 'JUDGMENT_EXISTS' satisfies CrowdConflict, label: labelView(existing) },
          );
        }
      }
      if (a.campaign_status !== 'active' && a.campaign_status !== 'paused') {
        throw new AppError('CAMPAIGN_NOT_ACTIVE', `campaign ${a.campaign_id} is ${a.campaign_status}`);
      }
      const judgment = label.choice !== 'skip';
      // A judgment fills the lease's slot, so it needs the slot still held: a late judgment counts if
      // the comparison needs it and nobody re-took the slot after it expired.
      const usable = a.state === 'leased' && (!judgment || a.gold || (a.comparison_state === 'open' && a.slot_held));
      if (!usable)
        throw new AppError('LEASE_EXPIRED', `the lease of assignment ${id} expired and was given to someone else`);
      const stored = await this.repository.store(tx, a, label);
      if (!stored) {
        throw new AppError(
          'BUDGET_EXHAUSTED',
          `campaign ${a.campaign_id} already has all the judgments its budget allows`,
        );
      }
      return { ...stored, campaignId: a.campaign_id };
    });
  }

  /** Job-chain calls after a commit: a Redis hiccup must not fail a request whose data is stored. */
  private async followUp(call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.logger.warn(`job chain follow-up failed (reconciliation will retry): ${String(error)}`);
    }
  }

  async progress(user: AuthUser, campaignId: string): Promise<LabelerProgress> {
    await this.access(user, campaignId);
    const row = await this.leases.progress({ campaignId, userId: user.id });
    if (!row) throw AppError.notFound('campaign', campaignId);
    const { doneToday, doneTotal, skippedTotal } = row;
    return {
      campaignId,
      doneToday,
      doneTotal,
      skippedTotal,
      ...labelerCounts(row),
      budget: { used: row.labelCount, total: row.budget },
    };
  }
}
