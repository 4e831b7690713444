import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { CampaignScoped } from '../database';
import { Prisma } from '../generated/prisma/client';
import { AVAILABLE, SLOT_LIVE } from '../labeling/lease.repository';
import { type BufferDemand, RATE_WINDOW_SECONDS } from './buffer-target';

/** A campaign's buffer target in available slots, on a campaigns row `c`: the floor, or what the workers sized. */
export const BUFFER_TARGET = (c: Prisma.Sql) =>
  Prisma.sql`GREATEST(${c}.buffer_size * ${c}.redundancy, ${c}.buffer_target)`;

/**
 * Available slots of a campaign's open comparisons, counted up to `limit`: every caller only needs to know
 * whether there are fewer than half the target, and a bounded scan stays cheap however large the campaign.
 */
export const AVAILABLE_SLOTS = (campaignId: Prisma.Sql, limit: Prisma.Sql) => Prisma.sql`
  (SELECT count(*)::int FROM (SELECT 1 FROM comparisons oc JOIN comparison_slots s ON s.comparison_id = oc.id
     WHERE oc.campaign_id = ${campaignId} AND oc.state = 'open' AND s.slot < oc.labels_required AND ${AVAILABLE()}
     LIMIT ${limit}) n)`;

/** How many of the campaign's latest finished runs the latencies are taken over. */
const RECENT_RUNS = 5;

/** The longest queued→finished time (s) of the campaign's latest completed runs matching `names` (0 when none). */
const recentSeconds = (campaignId: string, names: Prisma.Sql) => Prisma.sql`
  (SELECT COALESCE(max(EXTRACT(EPOCH FROM (r.finished_at - r.queued_at))), 0)::float8 FROM (
     SELECT finished_at, queued_at FROM job_runs
     WHERE campaign_id = ${campaignId}::uuid AND state = 'completed' AND ${names}
     ORDER BY finished_at DESC LIMIT ${RECENT_RUNS}) r)`;

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

  /**
   * The buffer the job chain decides on, in one round trip: AVAILABLE slots of open comparisons (a
   * leased slot serves nobody else), against the larger of the researcher's floor (bufferSize ×
   * redundancy) and the target the workers last sized from the labeling rate. The count stops at half
   * the target, all a refill decision needs: a campaign of 120,000 open comparisons counted every slot
   * at every fit trigger, a quarter of the labeling throughput.
   */
  async buffer(where: CampaignScoped<object>): Promise<{ available: number; target: number; status: string } | null> {
    const rows = await this.prisma.$queryRaw<{ available: number; target: number; status: string }[]>`
      SELECT c.status::text AS status, ${BUFFER_TARGET(Prisma.sql`c`)} AS target,
        ${AVAILABLE_SLOTS(Prisma.sql`c.id`, Prisma.sql`(${BUFFER_TARGET(Prisma.sql`c`)} + 1) / 2`)} AS available
      FROM campaigns c WHERE c.id = ${where.campaignId}::uuid`;
    return rows[0] ?? null;
  }

  /**
   * What the buffer is sized from (jobs/buffer-target.ts): judgments in the last rate window,
   * labelers holding a live lease, labelers assigned, and the longest of the recent selections and model updates from
   * queued to finished (the queue wait is part of what labelers wait for).
   */
  async bufferDemand(where: CampaignScoped<object>): Promise<Omit<BufferDemand, 'bufferSize' | 'redundancy'>> {
    const campaignId = where.campaignId;
    const rows = await this.prisma.$queryRaw<Omit<BufferDemand, 'bufferSize' | 'redundancy'>[]>`
      SELECT
        (SELECT count(*)::int FROM labels l WHERE l.campaign_id = ${campaignId}::uuid
           AND l.created_at > now() - make_interval(secs => ${RATE_WINDOW_SECONDS})) AS "recentLabels",
        (SELECT count(DISTINCT s.holder)::int FROM comparison_slots s
           WHERE s.campaign_id = ${campaignId}::uuid AND ${SLOT_LIVE()}) AS "activeLabelers",
        (SELECT count(*)::int FROM campaign_labelers l WHERE l.campaign_id = ${campaignId}::uuid) AS "assignedLabelers",
        ${recentSeconds(campaignId, Prisma.sql`name = 'ComparisonSelect'`)} AS "selectionSeconds",
        ${recentSeconds(campaignId, Prisma.sql`name IN ('RewardModelFit', 'PolicyFit')`)} AS "modelUpdateSeconds"`;
    return rows[0];
  }

  /** Records the target the workers sized the buffer to, for the API's refill checks. */
  async setBufferTarget(where: CampaignScoped<{ target: number }>): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE campaigns SET buffer_target = ${where.target} WHERE id = ${where.campaignId}::uuid AND buffer_target <> ${where.target}`;
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
