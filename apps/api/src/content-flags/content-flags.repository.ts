import { Injectable } from '@nestjs/common';
import type { CampaignScoped } from '../database';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';

export interface FlagRow {
  id: string;
  comparisonId: string;
  labelerId: string;
  labelerName: string;
  labelerEmail: string;
  note: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
  resolution: string | null;
  promptText: string | null;
  promptMessages: unknown[] | null;
  firstId: string;
  firstText: string;
  secondId: string;
  secondText: string;
}

@Injectable()
export class ContentFlagsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Stores the flag of the caller's own assignment (already skipped by then). A retry of the same
   * flag finds the row of the first (one per assignment) and stores nothing.
   */
  async record(input: { assignmentId: string; labelerId: string; note: string | null }): Promise<string | null> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO content_flags (id, campaign_id, comparison_id, assignment_id, labeler_id, note)
      SELECT gen_random_uuid(), a.campaign_id, a.comparison_id, a.id, a.labeler_id, ${input.note}
      FROM assignments a
      WHERE a.id = ${input.assignmentId}::uuid AND a.labeler_id = ${input.labelerId}::uuid
      ON CONFLICT (assignment_id) DO UPDATE SET note = COALESCE(content_flags.note, EXCLUDED.note)
      RETURNING id`;
    return rows[0]?.id ?? null;
  }

  list(where: CampaignScoped<{ status: 'open' | 'closed' | 'all'; limit: number }>): Promise<FlagRow[]> {
    const status =
      where.status === 'open'
        ? Prisma.sql`AND f.resolved_at IS NULL`
        : where.status === 'closed'
          ? Prisma.sql`AND f.resolved_at IS NOT NULL`
          : Prisma.empty;
    return this.prisma.$queryRaw<FlagRow[]>`
      SELECT f.id, f.comparison_id AS "comparisonId", u.id AS "labelerId", u.name AS "labelerName",
             u.email AS "labelerEmail", f.note, f.created_at AS "createdAt", f.resolved_at AS "resolvedAt",
             f.resolution, p.text AS "promptText", p.messages AS "promptMessages",
             fr.id AS "firstId", fr.text AS "firstText", sr.id AS "secondId", sr.text AS "secondText"
      FROM content_flags f
      JOIN users u ON u.id = f.labeler_id
      JOIN comparisons c ON c.id = f.comparison_id
      JOIN prompts p ON p.id = c.prompt_id
      JOIN responses fr ON fr.id = c.first_response_id
      JOIN responses sr ON sr.id = c.second_response_id
      WHERE f.campaign_id = ${where.campaignId}::uuid ${status}
      ORDER BY f.created_at DESC, f.id
      LIMIT ${where.limit}`;
  }

  async openCount(where: CampaignScoped<object>): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM content_flags
      WHERE campaign_id = ${where.campaignId}::uuid AND resolved_at IS NULL`;
    return row?.n ?? 0;
  }

  /** Closes an open flag of the campaign; null when there is none (unknown, another campaign's, or closed). */
  async resolve(
    where: CampaignScoped<{ flagId: string; resolvedBy: string; resolution: string }>,
  ): Promise<{ id: string; comparisonId: string } | null> {
    const rows = await this.prisma.$queryRaw<{ id: string; comparisonId: string }[]>`
      UPDATE content_flags SET resolved_at = now(), resolved_by = ${where.resolvedBy}::uuid,
             resolution = ${where.resolution}
      WHERE id = ${where.flagId}::uuid AND campaign_id = ${where.campaignId}::uuid AND resolved_at IS NULL
      RETURNING id, comparison_id AS "comparisonId"`;
    return rows[0] ?? null;
  }

  async exists(where: CampaignScoped<{ flagId: string }>): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM content_flags WHERE id = ${where.flagId}::uuid AND campaign_id = ${where.campaignId}::uuid`;
    return rows.length > 0;
  }
}
