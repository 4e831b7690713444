/**
 * The researcher dashboard's numbers, aggregated in Postgres (a campaign may hold 100k+ labels:
 * only sums, percentiles and one row per bucket or labeler come back). Label timestamps are UTC
 * `timestamp` columns, so date_trunc and the "today" bound below are UTC without any conversion.
 */
import { Injectable } from '@nestjs/common';
import type { StatsBucket } from '@borda/api-contract';
import type { CampaignScoped } from '../database';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import { LIVE } from '../labeling/lease.repository';

export interface LabelSpanRow {
  first: Date | null;
  last: Date | null;
}

export interface CountersRow {
  labelCount: number;
  budget: number;
  liveLeases: number;
}

export interface BucketRow {
  start: Date;
  labels: number;
  skips: number;
  cumulative: number;
}

export interface LabelerRow {
  labelerId: string;
  name: string;
  email: string;
  labels: number;
  labelsToday: number;
  skips: number;
  ties: number;
  bothBad: number;
  decisive: number;
  /** Decisive judgments that picked the left response (A). */
  leftPicks: number;
  medianTimeMs: number | null;
  p90TimeMs: number | null;
  lastLabelAt: Date | null;
}

/** Pairs of judgments of one comparison by different labelers, and the pooled outcome counts behind them. */
export interface AgreementRow {
  comparisons: number;
  pairs: number;
  agreeingPairs: number;
  first: number;
  second: number;
  tie: number;
  bothBad: number;
}

export interface LabelerAgreementRow {
  labelerId: string;
  pairs: number;
  agreeingPairs: number;
}

export interface StatsSnapshot {
  counters: CountersRow | undefined;
  buckets: BucketRow[];
  labelers: LabelerRow[];
  agreement: AgreementRow;
  labelerAgreement: LabelerAgreementRow[];
}

/**
 * Every judgment (not skip) as its outcome in the comparison's own order (a label stores the sides
 * as shown, left = A, and the left response may be the comparison's first or its second), with how
 * many other judgments its comparison has and how many of those share its outcome. A labeler
 * judges a comparison at most once (one assignment per pair), so these are exactly the judgment's
 * pairs and agreeing pairs: window counts instead of a self-join of the labels.
 */
const scoredJudgments = (campaignId: string) => Prisma.sql`
  judged AS (
    SELECT l.comparison_id, l.labeler_id,
      CASE l.choice
        WHEN 'tie' THEN 'tie'
        WHEN 'both_bad' THEN 'both_bad'
        WHEN 'A' THEN CASE WHEN l.left_response_id = c.first_response_id THEN 'first' ELSE 'second' END
        ELSE CASE WHEN l.right_response_id = c.first_response_id THEN 'first' ELSE 'second' END
      END AS outcome
    FROM labels l JOIN comparisons c ON c.id = l.comparison_id
    WHERE l.campaign_id = ${campaignId}::uuid AND l.choice <> 'skip'),
  scored AS (
    SELECT comparison_id, labeler_id, outcome,
      count(*) OVER (PARTITION BY comparison_id) - 1 AS pairs,
      count(*) OVER (PARTITION BY comparison_id, outcome) - 1 AS agreeing,
      row_number() OVER (PARTITION BY comparison_id) AS nth
    FROM judged)`;

@Injectable()
export class StatsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** When the campaign's first and last labels (skips included) were stored. */
  async labelSpan(where: CampaignScoped<object>): Promise<LabelSpanRow> {
    const rows = await this.prisma.$queryRaw<LabelSpanRow[]>`
      SELECT min(created_at) AS first, max(created_at) AS last FROM labels WHERE campaign_id = ${where.campaignId}::uuid`;
    return rows[0];
  }

  /** Every part of the dashboard read on one snapshot, so totals, series and counters agree. */
  async snapshot(where: CampaignScoped<{ bucket: StatsBucket }>): Promise<StatsSnapshot> {
    const [counters, buckets, labelers, agreement, labelerAgreement] = await this.prisma.$transaction(
      [
        this.counters(where),
        this.buckets(where),
        this.labelers(where),
        this.agreement(where),
        this.labelerAgreement(where),
      ],
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
    );
    return { counters: counters[0], buckets, labelers, agreement: agreement[0], labelerAgreement };
  }

  private counters({ campaignId }: CampaignScoped<object>) {
    return this.prisma.$queryRaw<CountersRow[]>`
      SELECT k.label_count AS "labelCount", k.budget,
             (SELECT count(*)::int FROM assignments a WHERE a.campaign_id = k.id AND ${LIVE}) AS "liveLeases"
      FROM campaigns k WHERE k.id = ${campaignId}::uuid`;
  }

  /** Judgments and skips per UTC bucket, every bucket from the first to the last (empty ones too). */
  private buckets({ campaignId, bucket }: CampaignScoped<{ bucket: StatsBucket }>) {
    return this.prisma.$queryRaw<BucketRow[]>`
      WITH counts AS (
        SELECT date_trunc(${bucket}::text, created_at) AS start,
               count(*) FILTER (WHERE choice <> 'skip')::int AS labels,
               count(*) FILTER (WHERE choice = 'skip')::int AS skips
        FROM labels WHERE campaign_id = ${campaignId}::uuid GROUP BY 1),
      span AS (SELECT min(start) AS lo, max(start) AS hi FROM counts)
      SELECT s.start, coalesce(c.labels, 0)::int AS labels, coalesce(c.skips, 0)::int AS skips,
             (sum(coalesce(c.labels, 0)) OVER (ORDER BY s.start))::int AS cumulative
      FROM span CROSS JOIN generate_series(span.lo, span.hi, ('1 ' || ${bucket}::text)::interval) AS s(start)
      LEFT JOIN counts c ON c.start = s.start
      ORDER BY s.start`;
  }

  /** Assigned labelers and anyone who labeled, most judgments first. Times are of judgments only. */
  private labelers({ campaignId }: CampaignScoped<object>) {
    return this.prisma.$queryRaw<LabelerRow[]>`
      WITH agg AS (
        SELECT labeler_id,
          count(*) FILTER (WHERE choice <> 'skip')::int AS labels,
          count(*) FILTER (WHERE choice <> 'skip'
                           AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC'))::int AS labels_today,
          count(*) FILTER (WHERE choice = 'skip')::int AS skips,
          count(*) FILTER (WHERE choice = 'tie')::int AS ties,
          count(*) FILTER (WHERE choice = 'both_bad')::int AS both_bad,
          count(*) FILTER (WHERE choice IN ('A', 'B'))::int AS decisive,
          count(*) FILTER (WHERE choice = 'A')::int AS left_picks,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY time_taken_ms) FILTER (WHERE choice <> 'skip') AS median_ms,
          percentile_cont(0.9) WITHIN GROUP (ORDER BY time_taken_ms) FILTER (WHERE choice <> 'skip') AS p90_ms,
          max(created_at) AS last_label_at
        FROM labels WHERE campaign_id = ${campaignId}::uuid GROUP BY labeler_id),
      people AS (
        SELECT user_id AS id FROM campaign_labelers WHERE campaign_id = ${campaignId}::uuid
        UNION SELECT labeler_id FROM agg)
      SELECT u.id AS "labelerId", u.name, u.email,
             coalesce(a.labels, 0) AS labels, coalesce(a.labels_today, 0) AS "labelsToday",
             coalesce(a.skips, 0) AS skips, coalesce(a.ties, 0) AS ties, coalesce(a.both_bad, 0) AS "bothBad",
             coalesce(a.decisive, 0) AS decisive, coalesce(a.left_picks, 0) AS "leftPicks",
             a.median_ms AS "medianTimeMs", a.p90_ms AS "p90TimeMs", a.last_label_at AS "lastLabelAt"
      FROM people p JOIN users u ON u.id = p.id LEFT JOIN agg a ON a.labeler_id = p.id
      ORDER BY coalesce(a.labels, 0) DESC, u.name, u.id`;
  }

  /**
   * Totals over comparisons judged by two or more labelers, with the outcome counts of their
   * judgments. Summing each judgment's pairs counts every pair from both ends: halve.
   */
  private agreement({ campaignId }: CampaignScoped<object>) {
    return this.prisma.$queryRaw<AgreementRow[]>`
      WITH ${scoredJudgments(campaignId)}
      SELECT count(*) FILTER (WHERE nth = 1)::int AS comparisons,
             (coalesce(sum(pairs), 0) / 2)::int AS pairs,
             (coalesce(sum(agreeing), 0) / 2)::int AS "agreeingPairs",
             count(*) FILTER (WHERE outcome = 'first')::int AS first,
             count(*) FILTER (WHERE outcome = 'second')::int AS second,
             count(*) FILTER (WHERE outcome = 'tie')::int AS tie,
             count(*) FILTER (WHERE outcome = 'both_bad')::int AS "bothBad"
      FROM scored WHERE pairs > 0`;
  }

  /** Per labeler: the pairs they are part of, and how many of those agree. */
  private labelerAgreement({ campaignId }: CampaignScoped<object>) {
    return this.prisma.$queryRaw<LabelerAgreementRow[]>`
      WITH ${scoredJudgments(campaignId)}
      SELECT labeler_id AS "labelerId", sum(pairs)::int AS pairs, sum(agreeing)::int AS "agreeingPairs"
      FROM scored WHERE pairs > 0
      GROUP BY labeler_id`;
  }
}
