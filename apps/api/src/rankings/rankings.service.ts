/**
 * Submitting a ranking (issue 14 item 3). A ranking task is a comparison whose
 * ranking_response_ids holds k responses (the selected pair first); it is leased like a pair (same
 * slot, same lease). The ranking is stored as:
 * - the lease's label: the comparison pair as the ranking orders it (choice A/B in the sides the
 *   lease showed), stored by LabelingRepository.store, so the slot, the comparison's counters and
 *   the budget move exactly as for a pairwise judgment. A ranking therefore counts as ONE judgment
 *   against the budget: the budget counts labeler tasks, and leases hold one slot each, so the lease
 *   accounting (live leases + judgments <= budget) stays exact. The label carries ranking_id;
 * - one rankings row with the order;
 * - its k(k-1)/2 implied pairwise judgments (ranking_pairs), which the fit learns from in place of
 *   the marked label (learning.repository.ts judgments), so no pair is counted twice.
 * Idempotent like submit: the same key (or the same order again) answers the stored ranking.
 */
import { Injectable, Logger } from '@nestjs/common';
import type { CrowdConflict, RankRequest, RankResponse, RankingView } from '@borda/api-contract';
import type { AuthUser } from '../auth/decorators';
import { isUuid } from '../database';
import { AppError } from '../errors/app-error';
import { belowHalf } from '../jobs/buffer-target';
import { JobChain } from '../jobs/job-chain.service';
import { LabelingRepository, type NewLabel } from '../labeling/labeling.repository';
import { type RankingRow, RankingsRepository } from './rankings.repository';

function rankingView(r: RankingRow): RankingView {
  return {
    id: r.id,
    assignmentId: r.assignment_id,
    comparisonId: r.comparison_id,
    order: r.order,
    createdAt: r.created_at.toISOString(),
  };
}

const sameOrder = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** 400 naming `order` unless it is a permutation of the task's responses. */
function checkPermutation(order: readonly string[], task: readonly string[]): void {
  const given = new Set(order);
  const problem =
    given.size !== order.length
      ? 'order names a response twice (ties are not allowed)'
      : order.length !== task.length || !task.every((id) => given.has(id))
        ? `order must list each of the task's ${task.length} responses exactly once`
        : null;
  if (problem) {
    throw new AppError('VALIDATION_FAILED', problem, { field: 'order', issues: [{ path: 'order', message: problem }] });
  }
}

@Injectable()
export class RankingsService {
  private readonly logger = new Logger('RankingsService');

  constructor(
    private readonly labels: LabelingRepository,
    private readonly repository: RankingsRepository,
    private readonly jobChain: JobChain,
  ) {}

  async rank(user: AuthUser, id: string, body: RankRequest): Promise<RankResponse> {
    if (!isUuid(id)) throw AppError.notFound('assignment', id);
    const result = await this.labels.transaction(async (tx) => {
      const a = await this.labels.lockAssignment(tx, id);
      if (!a) throw AppError.notFound('assignment', id);
      if (a.labeler_id !== user.id) throw new AppError('LEASE_NOT_HELD', `assignment ${id} is not leased to you`);
      const task = await this.repository.taskOf(tx, a.comparison_id);
      if (!task) {
        throw new AppError(
          'CONFLICT',
          `assignment ${id} is a pair, not a ranking: judge it with POST /assignments/${id}/submit`,
          {
            reason: 'NOT_A_RANKING',
          },
        );
      }
      const keyed = await this.repository.byKey(tx, user.id, body.idempotencyKey);
      if (keyed) {
        if (keyed.assignment_id !== a.id || !sameOrder(keyed.order, body.order)) {
          throw new AppError(
            'IDEMPOTENCY_MISMATCH',
            `idempotencyKey ${body.idempotencyKey} was used for a different request`,
            {
              field: 'idempotencyKey',
              assignmentId: keyed.assignment_id,
            },
          );
        }
        return { duplicate: true as const, ranking: keyed, pairs: (task.length * (task.length - 1)) / 2 };
      }
      checkPermutation(body.order, task);
      if (a.state === 'submitted' || a.state === 'skipped') {
        const existing = await this.repository.ofAssignment(tx, a.id);
        if (existing && sameOrder(existing.order, body.order)) {
          return { duplicate: true as const, ranking: existing, pairs: (task.length * (task.length - 1)) / 2 };
        }
        throw new AppError('CONFLICT', `assignment ${id} was already ${existing ? 'ranked' : a.state}`, {
          reason: 'JUDGMENT_EXISTS' satisfies CrowdConflict,
        });
      }
      if (a.campaign_status !== 'active' && a.campaign_status !== 'paused') {
        throw new AppError('CAMPAIGN_NOT_ACTIVE', `campaign ${a.campaign_id} is ${a.campaign_status}`);
      }
      if (!(a.state === 'leased' && a.comparison_state === 'open' && a.slot_held)) {
        throw new AppError('LEASE_EXPIRED', `the lease of assignment ${id} expired and was given to someone else`);
      }
      // The comparison pair as ranked, in the sides the lease showed.
      const firstWins = body.order.indexOf(a.first_response_id) < body.order.indexOf(a.second_response_id);
      const label: NewLabel = {
        choice: firstWins === a.first_on_left ? 'A' : 'B',
        strength: null,
        rationale: null,
        skipReason: null,
        timeTakenMs: body.timeTakenMs ?? null,
        idempotencyKey: `ranking:${body.idempotencyKey}`,
        leftResponseId: a.first_on_left ? a.first_response_id : a.second_response_id,
        rightResponseId: a.first_on_left ? a.second_response_id : a.first_response_id,
        outcome: firstWins ? 1 : 0,
      };
      const stored = await this.labels.store(tx, a, label);
      if (!stored) {
        throw new AppError(
          'BUDGET_EXHAUSTED',
          `campaign ${a.campaign_id} already has all the judgments its budget allows`,
        );
      }
      const { ranking, pairs } = await this.repository.insert(
        tx,
        {
          campaign_id: a.campaign_id,
          comparison_id: a.comparison_id,
          assignment_id: a.id,
          labeler_id: user.id,
          order: [...body.order],
          time_taken_ms: body.timeTakenMs ?? null,
          idempotency_key: body.idempotencyKey,
        },
        stored.label.id,
      );
      return { duplicate: false as const, ranking, pairs, counters: stored.counters, campaignId: a.campaign_id };
    });
    const view = { ranking: rankingView(result.ranking), impliedPairs: result.pairs };
    if (result.duplicate) return { ...view, duplicate: true, campaignCompleted: false };
    const { counters, campaignId } = result;
    let campaignCompleted = false;
    if (counters.label_count >= counters.budget) {
      campaignCompleted = await this.labels.completeIfBudgetSpent({ campaignId });
      if (campaignCompleted) await this.followUp(() => this.jobChain.afterComplete(campaignId));
    }
    const bufferLow = belowHalf(counters.available_sample, counters.buffer_target);
    if (!campaignCompleted && (counters.fit_due || bufferLow)) {
      await this.followUp(() => this.jobChain.afterLabel(campaignId));
    }
    return { ...view, duplicate: false, campaignCompleted };
  }

  /** Job-chain calls after a commit: a Redis hiccup must not fail a request whose data is stored. */
  private async followUp(call: () => Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.logger.warn(`job chain follow-up failed (reconciliation will retry): ${String(error)}`);
    }
  }
}
