import { Injectable } from '@nestjs/common';
import type { CampaignScoped } from '../database';
import { PrismaService } from '../database/prisma.service';

@Injectable()
export class GuidelinesRepository {
  constructor(private readonly prisma: PrismaService) {}

  async version(where: CampaignScoped<object>): Promise<number | null> {
    const [row] = await this.prisma.$queryRaw<{ version: number }[]>`
      SELECT guidelines_version AS version FROM campaigns WHERE id = ${where.campaignId}::uuid`;
    return row?.version ?? null;
  }

  /** The campaign's guidelines and version with the labeler's acknowledgement (assigned: false when not theirs). */
  async forLabeler(where: CampaignScoped<{ userId: string }>) {
    const [row] = await this.prisma.$queryRaw<
      { guidelines: string; version: number; ackVersion: number | null; assigned: boolean }[]
    >`
      SELECT c.guidelines, c.guidelines_version AS version, cl.guidelines_ack_version AS "ackVersion",
             cl.user_id IS NOT NULL AS assigned
      FROM campaigns c
      LEFT JOIN campaign_labelers cl ON cl.campaign_id = c.id AND cl.user_id = ${where.userId}::uuid
      WHERE c.id = ${where.campaignId}::uuid`;
    return row ?? null;
  }

  /** Records the acknowledgement of `version` if it is the current one; the current version either way. */
  async acknowledge(where: CampaignScoped<{ userId: string; version: number }>): Promise<number | null> {
    const [row] = await this.prisma.$queryRaw<{ version: number; stored: boolean }[]>`
      WITH c AS (SELECT guidelines_version AS version FROM campaigns WHERE id = ${where.campaignId}::uuid),
      u AS (
        UPDATE campaign_labelers cl SET guidelines_ack_version = c.version, guidelines_ack_at = now()
        FROM c
        WHERE cl.campaign_id = ${where.campaignId}::uuid AND cl.user_id = ${where.userId}::uuid
          AND c.version = ${where.version}
        RETURNING cl.user_id
      )
      SELECT c.version, EXISTS (SELECT 1 FROM u) AS stored FROM c`;
    return row?.version ?? null;
  }
}
