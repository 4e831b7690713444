import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { CampaignScoped } from '../database';

/** The campaign counters the job chain decides on. */
@Injectable()
export class CampaignJobsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Atomically takes the fit trigger: true (and the cadence counter reset) when at least
   * `retrainEvery` judgments arrived since the last fit was queued, so concurrent submits queue
   * one fit, not one each.
   */
  async claimFitTrigger(where: CampaignScoped<object>): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE campaigns SET labels_at_last_fit = label_count
      WHERE id = ${where.campaignId}::uuid AND label_count - labels_at_last_fit >= retrain_every
      RETURNING id`;
    return rows.length === 1;
  }

  /** Forces the next fit (reconciliation, campaign completion): resets the counter unconditionally. */
  async resetFitTrigger(where: CampaignScoped<object>): Promise<void> {
    await this.prisma
      .$executeRaw`UPDATE campaigns SET labels_at_last_fit = label_count WHERE id = ${where.campaignId}::uuid`;
  }

  /** Open comparisons still needing a labeler, against the campaign's buffer target. */
  async buffer(where: CampaignScoped<object>): Promise<{ open: number; target: number; status: string } | null> {
    const campaign = await this.prisma.campaign.findUnique({
      where: { id: where.campaignId },
      select: { bufferSize: true, status: true },
    });
    if (!campaign) return null;
    const open = await this.prisma.comparison.count({ where: { campaignId: where.campaignId, state: 'open' } });
    return { open, target: campaign.bufferSize, status: campaign.status };
  }

  activeCampaignIds(): Promise<string[]> {
    return this.prisma.campaign
      .findMany({ where: { status: 'active' }, select: { id: true } })
      .then((rows) => rows.map((r) => r.id));
  }

  /**
   * Whether a newer model is on its way: a RewardModelFit or PolicyFit of the campaign is queued or
   * running (their job keys start with the job name and the campaign id; the partial unique index
   * on unfinished keys serves the lookup).
   */
  async modelUpdatePending(where: CampaignScoped<object>): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ pending: boolean }[]>`
      SELECT EXISTS (
        SELECT 1 FROM job_runs
        WHERE state IN ('queued', 'active')
          AND (job_key = ${`RewardModelFit.${where.campaignId}`} OR job_key LIKE ${`PolicyFit.${where.campaignId}.%`})
      ) AS pending`;
    return rows[0]?.pending === true;
  }
}
