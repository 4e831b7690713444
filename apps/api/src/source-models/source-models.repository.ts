/**
 * The source-model leaderboard's reads, aggregated in Postgres: one row per ordered pair of models
 * (a campaign may hold 100k+ labels; only a few models come back).
 */
import { Injectable } from '@nestjs/common';
import type { CampaignScoped } from '../database';
import { PrismaService } from '../database/prisma.service';
import { USABLE_LABEL } from '../crowd/crowd.repository';
import { Prisma } from '../generated/prisma/client';

/** Judgments between a comparison's first response's model and its second's, in that order. */
export interface ModelPairRow {
  firstModel: string;
  secondModel: string;
  /** Weighted counts of A/B/tie judgments by their outcome (the comparison's own order). */
  firstWins: number;
  secondWins: number;
  ties: number;
  bothBad: number;
}

export interface ModelResponsesRow {
  model: string | null;
  responses: number;
}

export interface ModelFilter {
  meta: Record<string, string>;
  reliability: boolean;
}

/** `p.metadata ->> key = value` for each filter entry (text comparison: numbers match their digits). */
function metaCondition(meta: Record<string, string>): Prisma.Sql {
  const entries = Object.entries(meta);
  if (entries.length === 0) return Prisma.empty;
  return Prisma.sql`AND ${Prisma.join(
    entries.map(([k, v]) => Prisma.sql`p.metadata ->> ${k} = ${v}`),
    ' AND ',
  )}`;
}

@Injectable()
export class SourceModelsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Per ordered model pair: weighted wins of each side, ties and both-bad. Under reliability
   * weights a label counts with the newest fit's weight, reversed when its sign is −1 and not at all
   * when 0; a label no fit has weighed yet counts 1 as given.
   */
  pairs(where: CampaignScoped<ModelFilter>): Promise<ModelPairRow[]> {
    const w = where.reliability
      ? Prisma.sql`(CASE WHEN l.weight IS NULL THEN 1 WHEN l.weight_sign = 0 THEN 0 ELSE l.weight END)`
      : Prisma.sql`1`;
    const o = where.reliability
      ? Prisma.sql`(CASE WHEN l.weight IS NOT NULL AND l.weight_sign = -1 THEN 1 - l.outcome ELSE l.outcome END)`
      : Prisma.sql`l.outcome`;
    return this.prisma.$queryRaw<ModelPairRow[]>`
      SELECT fr.source_model AS "firstModel", sr.source_model AS "secondModel",
             COALESCE(sum(${w}) FILTER (WHERE l.outcome IS NOT NULL AND ${o} = 1), 0)::float8 AS "firstWins",
             COALESCE(sum(${w}) FILTER (WHERE l.outcome IS NOT NULL AND ${o} = 0), 0)::float8 AS "secondWins",
             COALESCE(sum(${w}) FILTER (WHERE l.outcome = 0.5), 0)::float8 AS ties,
             count(*) FILTER (WHERE l.choice = 'both_bad')::int AS "bothBad"
      FROM labels l
      JOIN comparisons c ON c.id = l.comparison_id
      JOIN prompts p ON p.id = c.prompt_id
      JOIN responses fr ON fr.id = c.first_response_id
      JOIN responses sr ON sr.id = c.second_response_id
      WHERE l.campaign_id = ${where.campaignId}::uuid AND l.choice IN ('A', 'B', 'tie', 'both_bad')
        AND fr.source_model IS NOT NULL AND sr.source_model IS NOT NULL AND fr.source_model <> sr.source_model
        AND ${USABLE_LABEL} ${metaCondition(where.meta)}
      GROUP BY fr.source_model, sr.source_model`;
  }

  /** Responses per source model (null: none given), of the prompts the filter keeps. */
  responses(where: CampaignScoped<ModelFilter>): Promise<ModelResponsesRow[]> {
    return this.prisma.$queryRaw<ModelResponsesRow[]>`
      SELECT r.source_model AS model, count(*)::int AS responses
      FROM responses r JOIN prompts p ON p.id = r.prompt_id
      WHERE r.campaign_id = ${where.campaignId}::uuid AND NOT r.synthetic ${metaCondition(where.meta)}
      GROUP BY r.source_model`;
  }
}
