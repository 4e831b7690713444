import { Injectable } from '@nestjs/common';
import type { Role } from '@borda/api-contract';
import { PrismaService } from '../database/prisma.service';
import type { Campaign, CampaignScoped, CampaignStatus } from '../database';
import type { Prisma } from '../generated/prisma/client';
import { type LabelerWorkRow, labelerWorkQuery } from '../labeling/labeler-work.repository';

export type CampaignCreateData = Omit<Prisma.CampaignUncheckedCreateInput, 'id' | 'labelers'>;
export type CampaignUpdateData = Prisma.CampaignUncheckedUpdateInput;

@Injectable()
export class CampaignsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Active labeler accounts among `ids` (to name the ones that are not). */
  async labelerIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.prisma.user.findMany({
      where: { id: { in: [...ids] }, role: 'labeler', disabledAt: null },
      select: { id: true },
    });
    return new Set(rows.map((r) => r.id));
  }

  create(data: CampaignCreateData, labelerIds: readonly string[]): Promise<Campaign> {
    return this.prisma.campaign.create({
      data: { ...data, labelers: { create: labelerIds.map((userId) => ({ userId })) } },
    });
  }

  list(user: { id: string; role: Role }): Promise<Campaign[]> {
    const where: Prisma.CampaignWhereInput =
      user.role === 'admin'
        ? {}
        : user.role === 'researcher'
          ? { ownerId: user.id }
          : { labelers: { some: { userId: user.id } } };
    return this.prisma.campaign.findMany({ where, orderBy: { createdAt: 'desc' } });
  }

  find(where: CampaignScoped<object>): Promise<Campaign | null> {
    return this.prisma.campaign.findUnique({ where: { id: where.campaignId } });
  }

  update(where: CampaignScoped<object>, data: CampaignUpdateData): Promise<Campaign> {
    return this.prisma.campaign.update({ where: { id: where.campaignId }, data });
  }

  /**
   * Moves the campaign to `to` only if it is still in one of `from` (a guarded UPDATE, so two
   * concurrent transitions cannot both succeed). Returns false when the status had moved on.
   */
  async transition(
    where: CampaignScoped<{ from: readonly CampaignStatus[]; to: CampaignStatus }>,
    extra: CampaignUpdateData = {},
  ): Promise<boolean> {
    const result = await this.prisma.campaign.updateMany({
      where: { id: where.campaignId, status: { in: [...where.from] } },
      data: { ...extra, status: where.to } as Prisma.CampaignUncheckedUpdateManyInput,
    });
    return result.count === 1;
  }

  /**
   * Completion in one transaction: the status change, open comparisons cancelled and live leases
   * expired, so no labeler can submit into a finished campaign.
   */
  complete(where: CampaignScoped<{ from: readonly CampaignStatus[] }>) {
    return this.prisma.$transaction(async (tx) => {
      const moved = await tx.campaign.updateMany({
        where: { id: where.campaignId, status: { in: [...where.from] } },
        data: { status: 'completed', completedAt: new Date() },
      });
      if (moved.count !== 1) return null;
      const now = new Date();
      const cancelled = await tx.comparison.updateMany({
        where: { campaignId: where.campaignId, state: 'open' },
        data: { state: 'cancelled', completedAt: now },
      });
      const expired = await tx.assignment.updateMany({
        where: { campaignId: where.campaignId, state: 'leased' },
        data: { state: 'expired', finishedAt: now },
      });
      return { cancelledComparisons: cancelled.count, expiredLeases: expired.count };
    });
  }

  /** True when at least one prompt has two responses to compare. */
  async hasComparablePrompt(where: CampaignScoped<object>): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ ok: boolean }[]>`
      SELECT EXISTS (
        SELECT 1 FROM responses WHERE campaign_id = ${where.campaignId}::uuid
        GROUP BY prompt_id HAVING count(*) >= 2
      ) AS ok`;
    return rows[0]?.ok === true;
  }

  /** True when the campaign holds judgments imported with its prompts (labels with a source). */
  async hasImportedJudgments(where: CampaignScoped<object>): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ ok: boolean }[]>`
      SELECT EXISTS (
        SELECT 1 FROM labels WHERE campaign_id = ${where.campaignId}::uuid AND source IS NOT NULL
      ) AS ok`;
    return rows[0]?.ok === true;
  }

  async counts(where: CampaignScoped<object>) {
    const [comparisons, skips] = await Promise.all([
      this.prisma.comparison.groupBy({
        by: ['state'],
        where: { campaignId: where.campaignId },
        _count: { _all: true },
      }),
      this.prisma.label.count({ where: { campaignId: where.campaignId, choice: 'skip' } }),
    ]);
    const byState = { open: 0, complete: 0, cancelled: 0 };
    for (const row of comparisons) byState[row.state] = row._count._all;
    return { comparisons: byState, skips };
  }

  /** A labeler's counts in the campaign: the statement GET /campaigns/:id/progress runs too (labeler-work.repository.ts). */
  async labelerProgress(where: CampaignScoped<{ labelerId: string }>): Promise<LabelerWorkRow> {
    const rows = await this.prisma.$queryRaw<LabelerWorkRow[]>(labelerWorkQuery(where.campaignId, where.labelerId));
    return rows[0];
  }

  async listLabelers(where: CampaignScoped<object>) {
    const rows = await this.prisma.campaignLabeler.findMany({
      where: { campaignId: where.campaignId },
      include: { user: { select: { id: true, email: true, name: true } } },
      orderBy: { assignedAt: 'asc' },
    });
    return rows.map((r) => ({ ...r.user, assignedAt: r.assignedAt }));
  }

  /** Replaces the assignment set; labelers who stay keep their original assignedAt. */
  setLabelers(where: CampaignScoped<{ userIds: readonly string[] }>) {
    return this.prisma.$transaction(async (tx) => {
      const removed = await tx.campaignLabeler.deleteMany({
        where: { campaignId: where.campaignId, userId: { notIn: [...where.userIds] } },
      });
      // A labeler taken off the campaign loses the leases they hold: their comparisons go to others,
      // and a late submit or heartbeat on them answers LEASE_EXPIRED.
      await tx.assignment.updateMany({
        where: { campaignId: where.campaignId, state: 'leased', labelerId: { notIn: [...where.userIds] } },
        data: { state: 'expired', finishedAt: new Date() },
      });
      const added = await tx.campaignLabeler.createMany({
        data: where.userIds.map((userId) => ({ campaignId: where.campaignId, userId })),
        skipDuplicates: true,
      });
      return { removed: removed.count, added: added.count };
    });
  }

  /** Prompts in ordinal order after `afterOrdinal`, with their responses, without embeddings. */
  listPrompts(where: CampaignScoped<{ afterOrdinal: number; limit: number }>) {
    return this.prisma.prompt.findMany({
      where: { campaignId: where.campaignId, ordinal: { gt: where.afterOrdinal } },
      orderBy: { ordinal: 'asc' },
      take: where.limit,
      select: {
        id: true,
        externalId: true,
        ordinal: true,
        text: true,
        messages: true,
        metadata: true,
        featurizedAt: true,
        responses: {
          orderBy: { ordinal: 'asc' },
          select: {
            id: true,
            ordinal: true,
            externalId: true,
            text: true,
            sourceModel: true,
            referenceLogprob: true,
            metadata: true,
          },
        },
      },
    });
  }
}
