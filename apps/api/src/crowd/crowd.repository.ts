/**
 * Crowd-quality reads and writes of the researcher routes: labeler standing (exclude / pause), gold
 * accuracy, the review queue. Gold comparison creation lives in gold.repository.ts.
 */
import { Injectable } from '@nestjs/common';
import type { LabelerFlagReason, LabelerReliabilityView } from '@borda/api-contract';
import type { CampaignScoped } from '../database';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';

/*
 * Which stored labels the learning code and the exports use (one definition, so a fit and an export
 * never disagree about which labels exist).
 */
/**
 * SQL condition over a labels alias `l` and its comparisons alias `c`: true for a label that is not
 * excluded (its labeler's labels are not excluded in the campaign) and that is not about a synthetic
 * response (a generated gold comparison's degraded copy, which is no candidate of any policy).
 */
export const USABLE_LABEL = Prisma.sql`
  NOT EXISTS (SELECT 1 FROM labeler_standings s
              WHERE s.campaign_id = l.campaign_id AND s.labeler_id = l.labeler_id AND s.labels_excluded)
  AND NOT EXISTS (SELECT 1 FROM responses sr
                  WHERE sr.id IN (c.first_response_id, c.second_response_id) AND sr.synthetic)`;

export interface CrowdLabelerRow {
  labelerId: string;
  name: string;
  email: string;
  judgments: number;
  goldGraded: number;
  goldCorrect: number;
  labelsExcluded: boolean;
  paused: boolean;
  reason: string | null;
}

/** One labeler's reliability estimates as stored per model version (labeler_reliability). */
export interface ReliabilityFields {
  labelerId: string;
  judgments: number;
  directional: number;
  accuracy: number;
  accuracyLow: number;
  accuracyHigh: number;
  inverted: number;
  invertedLow: number;
  invertedHigh: number;
  random: number;
  randomLow: number;
  randomHigh: number;
  positionBias: number;
  positionBiasLow: number;
  positionBiasHigh: number;
  goldTrials: number;
  goldAccuracy: number | null;
  goldLow: number | null;
  goldHigh: number | null;
  agreementWithConsensus: number | null;
  agreementWithModel: number | null;
  flagged: boolean;
}

export interface ReliabilityRow extends ReliabilityFields {
  modelVersion: number;
  reasons: LabelerFlagReason[];
}

export interface ReviewRow {
  comparisonId: string;
  promptText: string | null;
  promptMessages: unknown[] | null;
  firstId: string;
  firstText: string;
  secondId: string;
  secondText: string;
  votesFirst: number;
  votesSecond: number;
  judgments: number;
  splitExtras: number;
}

export interface ComparisonPair {
  id: string;
  state: string;
  firstResponseId: string;
  secondResponseId: string;
  goldResponseId: string | null;
}

/**
 * Grading of one label against its comparison's gold answer, by the FIRST answer the labeler gave
 * (a revision after feedback cannot improve a grade). Ties and both_bad are misses: a gold answer
 * is meant to be clear.
 */
export const GOLD_GRADE = Prisma.sql`
  CASE WHEN (CASE WHEN fr.label_id IS NULL THEN l.outcome ELSE fr.old_outcome END) =
            (CASE WHEN c.gold_response_id = c.first_response_id THEN 1 ELSE 0 END) THEN 1 ELSE 0 END`;

@Injectable()
export class CrowdRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Everyone assigned or who labeled, with judgments, gold grades and standing. */
  labelers(where: CampaignScoped<object>): Promise<CrowdLabelerRow[]> {
    const campaignId = Prisma.sql`${where.campaignId}::uuid`;
    return this.prisma.$queryRaw<CrowdLabelerRow[]>`
      WITH people AS (
        SELECT user_id AS id FROM campaign_labelers WHERE campaign_id = ${campaignId}
        UNION SELECT DISTINCT labeler_id FROM labels WHERE campaign_id = ${campaignId}),
      graded AS (
        SELECT l.labeler_id, count(*)::int AS graded, sum(${GOLD_GRADE})::int AS correct
        FROM labels l JOIN comparisons c ON c.id = l.comparison_id
        LEFT JOIN LATERAL (SELECT r.label_id, r.old_outcome FROM label_revisions r WHERE r.label_id = l.id
                           ORDER BY r.created_at, r.id LIMIT 1) fr ON true
        WHERE l.campaign_id = ${campaignId} AND c.gold_response_id IS NOT NULL AND l.choice <> 'skip'
          -- an imported judgment on imported gold is the answer itself, not a graded judgment
          AND l.source IS NULL
        GROUP BY l.labeler_id),
      judged AS (
        SELECT labeler_id, count(*)::int AS n FROM labels WHERE campaign_id = ${campaignId} AND choice <> 'skip'
        GROUP BY labeler_id)
      SELECT u.id AS "labelerId", u.name, u.email, COALESCE(j.n, 0) AS judgments,
             COALESCE(g.graded, 0) AS "goldGraded", COALESCE(g.correct, 0) AS "goldCorrect",
             COALESCE(s.labels_excluded, false) AS "labelsExcluded", COALESCE(s.paused, false) AS paused, s.reason
      FROM people p JOIN users u ON u.id = p.id
      LEFT JOIN judged j ON j.labeler_id = p.id
      LEFT JOIN graded g ON g.labeler_id = p.id
      LEFT JOIN labeler_standings s ON s.campaign_id = ${campaignId} AND s.labeler_id = p.id
      ORDER BY u.name, u.id`;
  }

  /** Every labeler's row of the newest model version that has reliability rows (issue 10 item 2). */
  reliability(where: CampaignScoped<object>): Promise<ReliabilityRow[]> {
    return this.prisma.$queryRaw<ReliabilityRow[]>`
      WITH newest AS (
        SELECT mv.id, mv.version FROM model_versions mv
        WHERE mv.campaign_id = ${where.campaignId}::uuid
          AND EXISTS (SELECT 1 FROM labeler_reliability r WHERE r.model_version_id = mv.id)
        ORDER BY mv.version DESC LIMIT 1)
      SELECT n.version AS "modelVersion", r.labeler_id AS "labelerId", r.judgments, r.directional,
             r.accuracy, r.accuracy_low AS "accuracyLow", r.accuracy_high AS "accuracyHigh",
             r.inverted, r.inverted_low AS "invertedLow", r.inverted_high AS "invertedHigh",
             r.random, r.random_low AS "randomLow", r.random_high AS "randomHigh",
             r.position_bias AS "positionBias", r.position_bias_low AS "positionBiasLow",
             r.position_bias_high AS "positionBiasHigh", r.gold_trials AS "goldTrials",
             r.gold_accuracy AS "goldAccuracy", r.gold_low AS "goldLow", r.gold_high AS "goldHigh",
             r.agreement_with_consensus AS "agreementWithConsensus", r.agreement_with_model AS "agreementWithModel",
             r.flagged, r.reasons
      FROM newest n JOIN labeler_reliability r ON r.model_version_id = n.id`;
  }

  async hasLabeler(where: CampaignScoped<{ labelerId: string }>): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ found: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM campaign_labelers WHERE campaign_id = ${where.campaignId}::uuid
                       AND user_id = ${where.labelerId}::uuid)
          OR EXISTS (SELECT 1 FROM labels WHERE campaign_id = ${where.campaignId}::uuid
                       AND labeler_id = ${where.labelerId}::uuid) AS found`;
    return rows[0]?.found === true;
  }

  /**
   * Sets what is given (exclusion and/or pause) and returns the standing. Pausing also ends the
   * labeler's live leases in the campaign, so their slots go back to the pool at once.
   */
  async setStanding(
    where: CampaignScoped<{ labelerId: string; actorId: string | null }>,
    change: { labelsExcluded?: boolean; paused?: boolean; reason?: string | null },
  ): Promise<{ labelsExcluded: boolean; paused: boolean; leasesEnded: number }> {
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ labelsExcluded: boolean; paused: boolean }[]>`
        INSERT INTO labeler_standings (campaign_id, labeler_id, labels_excluded, paused, reason, updated_by, updated_at)
        VALUES (${where.campaignId}::uuid, ${where.labelerId}::uuid, COALESCE(${change.labelsExcluded ?? null}::boolean, false),
                COALESCE(${change.paused ?? null}::boolean, false), ${change.reason ?? null}, ${where.actorId}::uuid, now())
        ON CONFLICT (campaign_id, labeler_id) DO UPDATE SET
          labels_excluded = COALESCE(${change.labelsExcluded ?? null}::boolean, labeler_standings.labels_excluded),
          paused = COALESCE(${change.paused ?? null}::boolean, labeler_standings.paused),
          reason = COALESCE(${change.reason ?? null}, labeler_standings.reason),
          updated_by = EXCLUDED.updated_by, updated_at = now()
        RETURNING labels_excluded AS "labelsExcluded", paused`;
      let leasesEnded = 0;
      if (rows[0].paused) {
        leasesEnded = await tx.$executeRaw`
          UPDATE assignments SET state = 'expired', expires_at = now(), finished_at = now()
          WHERE campaign_id = ${where.campaignId}::uuid AND labeler_id = ${where.labelerId}::uuid AND state = 'leased'`;
      }
      return { ...rows[0], leasesEnded };
    });
  }

  async comparison(where: CampaignScoped<{ comparisonId: string }>): Promise<ComparisonPair | null> {
    const rows = await this.prisma.$queryRaw<ComparisonPair[]>`
      SELECT id, state::text AS state, first_response_id AS "firstResponseId", second_response_id AS "secondResponseId",
             gold_response_id AS "goldResponseId"
      FROM comparisons WHERE id = ${where.comparisonId}::uuid AND campaign_id = ${where.campaignId}::uuid`;
    return rows[0] ?? null;
  }

  async setGoldAnswer(
    where: CampaignScoped<{ comparisonId: string }>,
    answer: { responseId: string; source: 'marked' | 'review' },
  ): Promise<boolean> {
    const n = await this.prisma.$executeRaw`
      UPDATE comparisons SET gold_response_id = ${answer.responseId}::uuid, gold_source = ${answer.source}
      WHERE id = ${where.comparisonId}::uuid AND campaign_id = ${where.campaignId}::uuid AND state <> 'open'`;
    return n === 1;
  }

  /**
   * Comparisons whose decisive judgments stay an exact split after the split-breaking slots the
   * campaign allows: complete, votes equal and non-zero, split_extras at the cap, no gold answer yet.
   */
  review(where: CampaignScoped<{ limit: number }>): Promise<ReviewRow[]> {
    return this.prisma.$queryRaw<ReviewRow[]>`
      SELECT c.id AS "comparisonId", p.text AS "promptText", p.messages AS "promptMessages",
             fr.id AS "firstId", fr.text AS "firstText", sr.id AS "secondId", sr.text AS "secondText",
             c.votes_first AS "votesFirst", c.votes_second AS "votesSecond", c.labels_received AS judgments,
             c.split_extras AS "splitExtras"
      FROM comparisons c JOIN campaigns k ON k.id = c.campaign_id
      JOIN prompts p ON p.id = c.prompt_id
      JOIN responses fr ON fr.id = c.first_response_id
      JOIN responses sr ON sr.id = c.second_response_id
      WHERE c.campaign_id = ${where.campaignId}::uuid AND c.state = 'complete' AND c.gold_response_id IS NULL
        AND c.votes_first = c.votes_second AND c.votes_first > 0 AND c.split_extras >= k.split_extra_cap
      ORDER BY c.completed_at, c.id
      LIMIT ${where.limit}`;
  }

  /** Whether the comparison is in the review queue now (see `review`). */
  async inReview(where: CampaignScoped<{ comparisonId: string }>): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ found: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM comparisons c JOIN campaigns k ON k.id = c.campaign_id
        WHERE c.id = ${where.comparisonId}::uuid AND c.campaign_id = ${where.campaignId}::uuid AND c.state = 'complete'
          AND c.gold_response_id IS NULL AND c.votes_first = c.votes_second AND c.votes_first > 0
          AND c.split_extras >= k.split_extra_cap) AS found`;
    return rows[0]?.found === true;
  }
}

export function reliabilityView(r: ReliabilityRow): LabelerReliabilityView {
  return {
    modelVersion: r.modelVersion,
    judgments: r.judgments,
    directional: r.directional,
    accuracy: { estimate: r.accuracy, low: r.accuracyLow, high: r.accuracyHigh },
    inverted: { estimate: r.inverted, low: r.invertedLow, high: r.invertedHigh },
    random: { estimate: r.random, low: r.randomLow, high: r.randomHigh },
    positionBias: { estimate: r.positionBias, low: r.positionBiasLow, high: r.positionBiasHigh },
    gold: { trials: r.goldTrials, rate: r.goldAccuracy, low: r.goldLow, high: r.goldHigh },
    agreementWithConsensus: r.agreementWithConsensus,
    agreementWithModel: r.agreementWithModel,
    flagged: r.flagged,
    reasons: r.reasons,
  };
}
