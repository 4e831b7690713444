/**
 * Researcher actions on the crowd (issue 10 items 1, 4, 6): per-labeler gold accuracy with Wilson
 * intervals and the reliability model's estimates (newest fit), exclude / restore a labeler's labels (refit queued), pause / resume their work, and the
 * review queue whose adjudications become gold answers. Every action is in the audit log.
 */
import { Injectable, Logger } from '@nestjs/common';
import type { CrowdLabelerView, LabelerActionRequest, ReviewItem } from '@borda/api-contract';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/decorators';
import { CampaignAccessService } from '../campaigns/campaign-access.service';
import { isUuid } from '../database';
import { AppError } from '../errors/app-error';
import { JobChain } from '../jobs/job-chain.service';
import { CrowdRepository, reliabilityView } from './crowd.repository';
import { GoldService } from './gold.service';
import { wilson } from './wilson';

export type LabelerAction = 'exclude' | 'restore' | 'pause' | 'resume';

@Injectable()
export class CrowdService {
  private readonly logger = new Logger('CrowdService');

  constructor(
    private readonly crowd: CrowdRepository,
    private readonly gold: GoldService,
    private readonly access: CampaignAccessService,
    private readonly audit: AuditService,
    private readonly jobChain: JobChain,
  ) {}

  async labelers(user: AuthUser, campaignId: string): Promise<CrowdLabelerView[]> {
    await this.access.manage(user, campaignId);
    const [rows, reliability] = await Promise.all([
      this.crowd.labelers({ campaignId }),
      this.crowd.reliability({ campaignId }),
    ]);
    const byLabeler = new Map(reliability.map((r) => [r.labelerId, reliabilityView(r)]));
    return rows.map((r) => ({
      labelerId: r.labelerId,
      name: r.name,
      email: r.email,
      judgments: r.judgments,
      goldAccuracy: wilson(r.goldCorrect, r.goldGraded),
      labelsExcluded: r.labelsExcluded,
      paused: r.paused,
      reason: r.reason,
      reliability: byLabeler.get(r.labelerId) ?? null,
    }));
  }

  /**
   * exclude: labels left out of every fit and export (and, with `pause`, no new work); restore: back
   * in, and unpaused; pause / resume: work only. A change of exclusion queues a refit at once.
   */
  async act(
    user: AuthUser,
    campaignId: string,
    labelerId: string,
    action: LabelerAction,
    body: LabelerActionRequest = {},
  ) {
    await this.access.manage(user, campaignId);
    if (!isUuid(labelerId) || !(await this.crowd.hasLabeler({ campaignId, labelerId }))) {
      throw AppError.notFound('labeler', labelerId);
    }
    const change = {
      exclude: { labelsExcluded: true, ...(body?.pause ? { paused: true } : {}) },
      restore: { labelsExcluded: false, paused: false },
      pause: { paused: true },
      resume: { paused: false },
    }[action];
    const standing = await this.crowd.setStanding(
      { campaignId, labelerId, actorId: user.id },
      { ...change, reason: body?.reason ?? null },
    );
    await this.audit.record(user.id, campaignId, `crowd.labeler_${action}`, {
      labelerId,
      reason: body?.reason ?? null,
      ...standing,
    });
    if ('labelsExcluded' in change) {
      try {
        await this.jobChain.fitNow(campaignId);
      } catch (error) {
        this.logger.warn(`refit after ${action} not queued (reconciliation will catch up): ${String(error)}`);
      }
    }
    return { labelerId, labelsExcluded: standing.labelsExcluded, paused: standing.paused };
  }

  async review(user: AuthUser, campaignId: string): Promise<ReviewItem[]> {
    await this.access.manage(user, campaignId);
    const rows = await this.crowd.review({ campaignId, limit: 500 });
    return rows.map((r) => ({
      comparisonId: r.comparisonId,
      promptText: r.promptText,
      promptMessages: r.promptMessages,
      first: { id: r.firstId, text: r.firstText },
      second: { id: r.secondId, text: r.secondText },
      votesFirst: r.votesFirst,
      votesSecond: r.votesSecond,
      judgments: r.judgments,
      splitExtras: r.splitExtras,
    }));
  }

  /** The researcher's answer to a split comparison: stored as its gold answer (it then grades its labelers). */
  async adjudicate(user: AuthUser, campaignId: string, comparisonId: string, answer: string) {
    await this.access.manage(user, campaignId);
    if (!isUuid(comparisonId) || !(await this.crowd.inReview({ campaignId, comparisonId }))) {
      throw AppError.notFound('review item', comparisonId);
    }
    await this.gold.setAnswer(campaignId, comparisonId, answer, 'review');
    await this.audit.record(user.id, campaignId, 'review.adjudicated', { comparisonId, answer });
    return { comparisonId, answer, source: 'review' as const };
  }
}
