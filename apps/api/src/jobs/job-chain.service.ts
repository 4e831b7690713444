/**
 * The learning loop in one screen. Every arrow is an enqueue through JobDispatcher, so each step
 * is deduplicated, retried and mirrored in job_runs.
 *
 *   import / start ─▶ Featurize ─▶ ComparisonSelect
 *   every `retrainEvery` judgments ─▶ RewardModelFit ─▶ PolicyFit ─▶ ComparisonSelect
 *   available slots below half the rate-sized target ─▶ ComparisonSelect (a quarter while a fit is pending)
 *   a fit that finishes while `retrainEvery` more judgments arrived ─▶ RewardModelFit again
 *   a campaign completed, a model version published, a labeler newly flagged ─▶ WebhookDelivery per
 *   subscribed webhook (WebhookOutbox; reconciliation catches what this misses)
 */
import { Injectable } from '@nestjs/common';
import { CampaignJobsRepository } from './campaign-jobs.repository';
import { JobDispatcher } from './job-dispatcher.service';
import { JobName } from './job-names';
import { WebhookOutbox } from '../webhooks/webhook-outbox.service';
import { refillDue } from './buffer-target';

@Injectable()
export class JobChain {
  constructor(
    private readonly jobs: JobDispatcher,
    private readonly campaigns: CampaignJobsRepository,
    private readonly webhooks: WebhookOutbox,
  ) {}

  /** New prompts or responses arrived (import, or more prompts on a running campaign). */
  async afterImport(campaignId: string): Promise<void> {
    await this.jobs.enqueue(JobName.Featurize, { campaignId });
  }

  /** The campaign was started or resumed: make sure features exist, then fill the buffer. */
  async afterStart(campaignId: string): Promise<void> {
    await this.jobs.enqueue(JobName.Featurize, { campaignId });
  }

  async afterFeaturize(campaignId: string): Promise<void> {
    await this.refillIfLow(campaignId, true);
  }

  /** A judgment was stored: maybe retrain, maybe refill. Cheap: two indexed queries. */
  async afterLabel(campaignId: string): Promise<void> {
    if (await this.campaigns.claimFitTrigger({ campaignId })) {
      await this.jobs.enqueue(JobName.RewardModelFit, { campaignId });
    }
    await this.refillIfLow(campaignId);
  }

  async afterRewardModelFit(campaignId: string, modelVersionId: string): Promise<void> {
    await this.jobs.enqueue(JobName.PolicyFit, { campaignId, modelVersionId });
    // model_version.published and labeler.flagged: the version and the crowd fit's rows are stored.
    await this.webhooks.sync(campaignId);
    // Judgments that arrived while this fit ran were not in it and their trigger was swallowed
    // by the deduplication: queue the next fit now if enough of them piled up.
    if (await this.campaigns.claimFitTrigger({ campaignId })) {
      await this.jobs.enqueue(JobName.RewardModelFit, { campaignId });
    }
  }

  async afterPolicyFit(campaignId: string): Promise<void> {
    // The new model should choose the next queries: refill even if the buffer is not low.
    await this.refillIfLow(campaignId, true);
  }

  /**
   * The campaign was completed (its budget spent, or by its researcher): a last fit on every judgment
   * (when there are any) and the campaign.budget_reached / campaign.completed webhooks.
   */
  async afterComplete(campaignId: string, fit = true): Promise<void> {
    await this.webhooks.sync(campaignId);
    if (fit) await this.fitNow(campaignId);
  }

  /** Queues a fit regardless of the cadence (reconciliation, or a researcher's "retrain now"). */
  async fitNow(campaignId: string): Promise<void> {
    await this.campaigns.resetFitTrigger({ campaignId });
    await this.jobs.enqueue(JobName.RewardModelFit, { campaignId });
  }

  /**
   * Queues a refill when fewer than half the buffer's target slots are available (the target follows
   * the labeling rate: jobs/buffer-target.ts). While a fit or policy of the campaign is pending, a
   * buffer that still holds a quarter of its target waits for it: that chain ends in a refill by the
   * new model, and refilling now would fill the buffer from the old one.
   */
  async refillIfLow(campaignId: string, force = false): Promise<void> {
    const buffer = await this.campaigns.buffer({ campaignId });
    if (!buffer || buffer.status !== 'active') return;
    if (
      !force &&
      !(await refillDue(buffer.available, buffer.target, () => this.campaigns.modelUpdatePending({ campaignId })))
    ) {
      return;
    }
    await this.jobs.enqueue(JobName.ComparisonSelect, { campaignId });
  }
}
