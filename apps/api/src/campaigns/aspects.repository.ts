/** Aggregates of a campaign's aspect answers (issue 14 item 2) for the dashboard's per-aspect chart. */
import { Injectable } from '@nestjs/common';
import type { CampaignScoped } from '../database';
import { PrismaService } from '../database/prisma.service';
import { USABLE_LABEL } from '../crowd/crowd.repository';

export interface AspectAggregateRow {
  key: string;
  answered: number;
  a: number;
  b: number;
  tie: number;
  mean_a: number | null;
  mean_b: number | null;
}

@Injectable()
export class AspectsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** One row per key, over the usable labels (as the exports: excluded labelers and synthetic responses left out). */
  aggregates(where: CampaignScoped<{ keys: readonly string[] }>): Promise<AspectAggregateRow[]> {
    if (where.keys.length === 0) return Promise.resolve([]);
    return this.prisma.$queryRaw<AspectAggregateRow[]>`
      SELECT k.key,
        count(l.id) FILTER (WHERE l.aspects ? k.key)::int AS answered,
        count(l.id) FILTER (WHERE l.aspects ->> k.key = 'A')::int AS a,
        count(l.id) FILTER (WHERE l.aspects ->> k.key = 'B')::int AS b,
        count(l.id) FILTER (WHERE l.aspects ->> k.key = 'tie')::int AS tie,
        avg((l.aspects -> k.key ->> 'A')::float8) FILTER (WHERE jsonb_typeof(l.aspects -> k.key) = 'object') AS mean_a,
        avg((l.aspects -> k.key ->> 'B')::float8) FILTER (WHERE jsonb_typeof(l.aspects -> k.key) = 'object') AS mean_b
      FROM unnest(${[...where.keys]}::text[]) AS k(key)
      LEFT JOIN (labels l JOIN comparisons c ON c.id = l.comparison_id)
        ON l.campaign_id = ${where.campaignId}::uuid AND l.aspects IS NOT NULL AND ${USABLE_LABEL}
      GROUP BY k.key`;
  }
}
