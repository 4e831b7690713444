/** Database access of the Featurize job: unfeaturized prompts and responses, embedding writes. */
import { Injectable } from '@nestjs/common';
import type { CampaignScoped } from '../database';
import { PrismaService } from '../database/prisma.service';

export interface UnfeaturizedPrompt {
  id: string;
  ordinal: number;
  text: string | null;
  messages: unknown;
}

export interface UnfeaturizedResponse {
  id: string;
  promptId: string;
  text: string;
}

export interface EmbeddingWrite {
  id: string;
  /** float32 LE bytes. */
  bytes: Buffer;
}

@Injectable()
export class FeaturizeRepository {
  constructor(private readonly prisma: PrismaService) {}

  campaign(where: CampaignScoped<object>) {
    return this.prisma.campaign.findUnique({
      where: { id: where.campaignId },
      select: { id: true, featureSource: true, featureDim: true, seed: true, status: true },
    });
  }

  async pendingCounts(where: CampaignScoped<object>): Promise<{ prompts: number; responses: number }> {
    const [prompts, responses] = await Promise.all([
      this.prisma.prompt.count({ where: { campaignId: where.campaignId, featurizedAt: null } }),
      this.prisma.response.count({ where: { campaignId: where.campaignId, featurizedAt: null } }),
    ]);
    return { prompts, responses };
  }

  /** The next `limit` unfeaturized prompts by ordinal. */
  unfeaturizedPrompts(where: CampaignScoped<{ limit: number }>): Promise<UnfeaturizedPrompt[]> {
    return this.prisma.prompt.findMany({
      where: { campaignId: where.campaignId, featurizedAt: null },
      orderBy: { ordinal: 'asc' },
      take: where.limit,
      select: { id: true, ordinal: true, text: true, messages: true },
    });
  }

  /** Unfeaturized responses of these prompts, or (without promptIds) the next `limit` of the campaign. */
  unfeaturizedResponses(
    where: CampaignScoped<{ promptIds?: string[]; limit?: number }>,
  ): Promise<UnfeaturizedResponse[]> {
    return this.prisma.response.findMany({
      where: {
        campaignId: where.campaignId,
        featurizedAt: null,
        ...(where.promptIds ? { promptId: { in: where.promptIds } } : {}),
      },
      orderBy: [{ promptId: 'asc' }, { ordinal: 'asc' }],
      take: where.limit,
      select: { id: true, promptId: true, text: true },
    });
  }

  /**
   * Writes embeddings and featurized_at in one transaction. Prompts are written last, and every
   * prompt owning a written response gets a new featurized_at: the candidate cache's revision.
   */
  async saveEmbeddings(
    where: CampaignScoped<{ prompts: EmbeddingWrite[]; responses: EmbeddingWrite[]; touchPromptIds?: string[] }>,
  ): Promise<void> {
    const hex = (rows: EmbeddingWrite[]) => rows.map((r) => r.bytes.toString('hex'));
    const ids = (rows: EmbeddingWrite[]) => rows.map((r) => r.id);
    await this.prisma.$transaction([
      this.prisma.$executeRaw`
        UPDATE responses SET embedding = decode(v.e, 'hex'), featurized_at = now()
        FROM (SELECT unnest(${ids(where.responses)}::uuid[]) AS id, unnest(${hex(where.responses)}::text[]) AS e) v
        WHERE responses.id = v.id AND responses.campaign_id = ${where.campaignId}::uuid`,
      this.prisma.$executeRaw`
        UPDATE prompts SET embedding = decode(v.e, 'hex'), featurized_at = now()
        FROM (SELECT unnest(${ids(where.prompts)}::uuid[]) AS id, unnest(${hex(where.prompts)}::text[]) AS e) v
        WHERE prompts.id = v.id AND prompts.campaign_id = ${where.campaignId}::uuid`,
      this.prisma.$executeRaw`
        UPDATE prompts SET featurized_at = now()
        WHERE campaign_id = ${where.campaignId}::uuid AND featurized_at IS NOT NULL
          AND id = ANY(${where.touchPromptIds ?? []}::uuid[])`,
    ]);
  }

  /** First prompt/response whose supplied embedding is missing or has the wrong byte length. */
  async invalidSuppliedEmbedding(
    where: CampaignScoped<{ bytes: number }>,
  ): Promise<{ kind: string; externalId: string | null; ordinal: number } | null> {
    const rows = await this.prisma.$queryRaw<{ kind: string; externalId: string | null; ordinal: number }[]>`
      (SELECT 'prompt' AS kind, external_id AS "externalId", ordinal FROM prompts
        WHERE campaign_id = ${where.campaignId}::uuid AND featurized_at IS NULL
          AND (embedding IS NULL OR octet_length(embedding) <> ${where.bytes}) LIMIT 1)
      UNION ALL
      (SELECT 'response', r.external_id, r.ordinal FROM responses r
        WHERE r.campaign_id = ${where.campaignId}::uuid AND r.featurized_at IS NULL
          AND (r.embedding IS NULL OR octet_length(r.embedding) <> ${where.bytes}) LIMIT 1)`;
    return rows[0] ?? null;
  }

  /** Marks supplied embeddings as featurized (after `invalidSuppliedEmbedding` found none). */
  async markSuppliedFeaturized(where: CampaignScoped<object>): Promise<{ prompts: number; responses: number }> {
    // Prompts first: one that gains responses gets a new featurized_at (the candidate revision).
    const [prompts, responses] = await this.prisma.$transaction([
      this.prisma.$executeRaw`UPDATE prompts SET featurized_at = now()
        WHERE campaign_id = ${where.campaignId}::uuid AND (featurized_at IS NULL OR id IN (
          SELECT prompt_id FROM responses WHERE campaign_id = ${where.campaignId}::uuid AND featurized_at IS NULL))`,
      this.prisma.$executeRaw`UPDATE responses SET featurized_at = now()
        WHERE campaign_id = ${where.campaignId}::uuid AND featurized_at IS NULL`,
    ]);
    return { prompts, responses };
  }
}
