/**
 * The campaign state machine:
 *
 *   draft ─start─▶ active ─pause─▶ paused ─resume─▶ active
 *   active|paused ─complete─▶ completed ─archive─▶ archived
 *
 * Each move is a guarded UPDATE (status still in `from`), so concurrent requests cannot both win.
 */
import { Injectable } from '@nestjs/common';
import type { CampaignView } from '@borda/api-contract';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/decorators';
import type { Campaign, CampaignStatus } from '../database';
import { AppError } from '../errors/app-error';
import { JobChain } from '../jobs/job-chain.service';
import { CampaignAccessService } from './campaign-access.service';
import { campaignView } from './campaign-views';
import { CampaignsRepository } from './campaigns.repository';

export type Transition = 'start' | 'pause' | 'resume' | 'complete' | 'archive';

const MOVES: Record<Transition, { from: readonly CampaignStatus[]; to: CampaignStatus }> = {
  start: { from: ['draft', 'paused'], to: 'active' },
  pause: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  complete: { from: ['active', 'paused'], to: 'completed' },
  archive: { from: ['completed'], to: 'archived' },
};

function invalidTransition(campaign: Campaign, transition: Transition): AppError {
  const { from, to } = MOVES[transition];
  return new AppError(
    'INVALID_TRANSITION',
    `cannot ${transition} a campaign that is ${campaign.status} (allowed from ${from.join(' or ')})`,
    { from: campaign.status, to, transition },
  );
}

@Injectable()
export class CampaignLifecycleService {
  constructor(
    private readonly repository: CampaignsRepository,
    private readonly access: CampaignAccessService,
    private readonly audit: AuditService,
    private readonly jobChain: JobChain,
  ) {}

  async apply(user: AuthUser, campaignId: string, transition: Transition): Promise<CampaignView> {
    const campaign = await this.access.manage(user, campaignId);
    const move = MOVES[transition];
    if (!move.from.includes(campaign.status)) throw invalidTransition(campaign, transition);
    let details: Record<string, unknown> = {};
    if (transition === 'complete') {
      const result = await this.repository.complete({ campaignId, from: move.from });
      if (!result) throw await this.raced(campaignId, transition);
      details = result;
    } else {
      if (move.to === 'active' && !(await this.repository.hasComparablePrompt({ campaignId }))) {
        throw new AppError(
          'CONFLICT',
          'the campaign has no prompt with at least two responses to compare: import prompts before starting it',
          { promptCount: campaign.promptCount },
        );
      }
      const extra = {
        ...(move.to === 'active' && !campaign.startedAt ? { startedAt: new Date() } : {}),
        // Resuming is the researcher's answer to a halt: the next job re-checks the data.
        ...(move.to === 'active' ? { haltedReason: null } : {}),
      };
      if (!(await this.repository.transition({ campaignId, ...move }, extra))) {
        throw await this.raced(campaignId, transition);
      }
    }
    await this.audit.record(user.id, campaignId, `campaign.${transition}`, {
      from: campaign.status,
      to: move.to,
      ...details,
    });
    if (move.to === 'active') await this.jobChain.afterStart(campaignId);
    // The final model should include every label collected; without labels there is nothing to fit.
    if (transition === 'complete') await this.jobChain.afterComplete(campaignId, campaign.labelCount > 0);
    const updated = await this.repository.find({ campaignId });
    return campaignView(updated ?? campaign);
  }

  /**
   * "Retrain now": queues a RewardModelFit (→ PolicyFit → ComparisonSelect) outside the cadence,
   * e.g. after changing model options. Deduplicated like every fit: a queued one is reused.
   */
  async retrain(user: AuthUser, campaignId: string): Promise<{ queued: true; labelCount: number }> {
    const campaign = await this.access.manage(user, campaignId);
    if (campaign.status === 'archived' || campaign.status === 'draft') {
      throw new AppError('INVALID_TRANSITION', `cannot retrain a ${campaign.status} campaign`, {
        status: campaign.status,
      });
    }
    // Imported judgments do not raise labelCount (the budget), but a fit can start from them.
    if (campaign.labelCount === 0 && !(await this.repository.hasImportedJudgments({ campaignId }))) {
      throw new AppError('CONFLICT', 'the campaign has no judgments to fit a reward model on yet');
    }
    await this.jobChain.fitNow(campaignId);
    await this.audit.record(user.id, campaignId, 'campaign.retrain', { labelCount: campaign.labelCount });
    return { queued: true, labelCount: campaign.labelCount };
  }

  /** Another request changed the status between our read and our guarded update. */
  private async raced(campaignId: string, transition: Transition): Promise<AppError> {
    const now = await this.repository.find({ campaignId });
    if (!now) return AppError.notFound('campaign', campaignId);
    return invalidTransition(now, transition);
  }
}
