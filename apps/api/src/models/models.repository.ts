import { Injectable } from '@nestjs/common';
import type { PolicySort } from '@borda/api-contract';
import { PrismaService } from '../database/prisma.service';
import type { CampaignScoped } from '../database';
import { Prisma } from '../generated/prisma/client';

/** A policy entry row joined with its prompt (what the policy page lists). */
export interface PolicyEntryRow {
  promptId: string;
  externalId: string;
  ordinal: number;
  text: string | null;
  messages: unknown;
  greedyResponseId: string;
  pessimisticResponseId: string;
  softResponseId: string;
  dpoResponseId: string | null;
  mean: number;
  std: number;
  lcbMargin: number;
  gap: number;
}

@Injectable()
export class ModelsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Versions newest first (below `before` when given), without the (possibly large) parameters. */
  listVersions(where: CampaignScoped<{ limit?: number; before?: number }>) {
    return this.prisma.modelVersion.findMany({
      where: { campaignId: where.campaignId, ...(where.before !== undefined ? { version: { lt: where.before } } : {}) },
      orderBy: { version: 'desc' },
      take: where.limit,
      select: { version: true, kind: true, labelCount: true, metrics: true, certificate: true, createdAt: true },
    });
  }

  findVersion(where: CampaignScoped<{ version: number; includeParameters: boolean }>) {
    return this.prisma.modelVersion.findUnique({
      where: { campaignId_version: { campaignId: where.campaignId, version: where.version } },
      omit: { parameters: !where.includeParameters },
    });
  }

  /** Every policy version's summary, newest first (their entries are kept for the newest only). */
  listPolicies(where: CampaignScoped<{ limit: number }>) {
    return this.prisma.policyVersion.findMany({
      where: { campaignId: where.campaignId },
      orderBy: { version: 'desc' },
      take: where.limit,
      select: {
        version: true,
        labelCount: true,
        summary: true,
        createdAt: true,
        modelVersion: { select: { version: true } },
      },
    });
  }

  /** The newest policy version. */
  findPolicy(where: CampaignScoped<object>) {
    return this.prisma.policyVersion.findFirst({
      where: { campaignId: where.campaignId },
      orderBy: { version: 'desc' },
      select: {
        id: true,
        version: true,
        labelCount: true,
        summary: true,
        createdAt: true,
        modelVersion: { select: { version: true } },
      },
    });
  }

  /** One page of a policy version's entries in the requested order (keyset, so pages stay fast). */
  policyEntries(
    where: CampaignScoped<{ policyVersionId: string; sort: PolicySort; limit: number; afterPromptId?: string }>,
  ): Promise<PolicyEntryRow[]> {
    const { sort, afterPromptId, policyVersionId } = where;
    // Ties on the sort value are broken by prompt id, in the same direction as the value.
    const order = {
      prompt: Prisma.sql`p.ordinal ASC`,
      confidence: Prisma.sql`e.lcb_margin ASC, e.prompt_id ASC`,
      gap: Prisma.sql`e.gap DESC, e.prompt_id DESC`,
    }[sort];
    // The keyset position is read back from the last row itself (not carried as a float in the
    // cursor), so the comparison is exact.
    let keyset = Prisma.empty;
    if (afterPromptId) {
      const last = Prisma.sql`FROM policy_entries k JOIN prompts kp ON kp.id = k.prompt_id
        WHERE k.policy_version_id = ${policyVersionId}::uuid AND k.prompt_id = ${afterPromptId}::uuid`;
      keyset = {
        prompt: Prisma.sql`AND p.ordinal > (SELECT kp.ordinal ${last})`,
        confidence: Prisma.sql`AND (e.lcb_margin, e.prompt_id) > (SELECT k.lcb_margin, k.prompt_id ${last})`,
        gap: Prisma.sql`AND (e.gap, e.prompt_id) < (SELECT k.gap, k.prompt_id ${last})`,
      }[sort];
    }
    return this.prisma.$queryRaw<PolicyEntryRow[]>`
      SELECT e.prompt_id AS "promptId", p.external_id AS "externalId", p.ordinal, p.text, p.messages,
             e.greedy_response_id AS "greedyResponseId", e.pessimistic_response_id AS "pessimisticResponseId",
             e.soft_response_id AS "softResponseId", e.dpo_response_id AS "dpoResponseId",
             e.mean, e.std, e.lcb_margin AS "lcbMargin", e.gap
      FROM policy_entries e JOIN prompts p ON p.id = e.prompt_id
      WHERE e.campaign_id = ${where.campaignId}::uuid AND e.policy_version_id = ${where.policyVersionId}::uuid ${keyset}
      ORDER BY ${order}
      LIMIT ${where.limit}`;
  }

  findPrompt(where: CampaignScoped<{ promptId: string }>) {
    return this.prisma.prompt.findFirst({
      where: { id: where.promptId, campaignId: where.campaignId },
      select: {
        id: true,
        externalId: true,
        text: true,
        messages: true,
        metadata: true,
        responses: { select: { id: true, ordinal: true, text: true }, orderBy: { ordinal: 'asc' } },
      },
    });
  }

  policyEntry(where: CampaignScoped<{ policyVersionId: string; promptId: string }>) {
    return this.prisma.policyEntry.findFirst({
      where: { campaignId: where.campaignId, policyVersionId: where.policyVersionId, promptId: where.promptId },
    });
  }

  /** Comparisons of a prompt that received labels, newest first, with the labels and who gave them. */
  labelledComparisons(where: CampaignScoped<{ promptId: string; limit: number }>) {
    return this.prisma.comparison.findMany({
      where: { campaignId: where.campaignId, promptId: where.promptId, labels: { some: {} } },
      orderBy: { createdAt: 'desc' },
      take: where.limit,
      include: {
        modelVersion: { select: { version: true } },
        labels: { orderBy: { createdAt: 'asc' }, include: { labeler: { select: { name: true } } } },
      },
    });
  }
}
