/**
 * Keyset-paginated reads for the exports: each call returns one batch after a cursor, so an
 * export of millions of labels never holds more than one batch in memory.
 */
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { CampaignScoped } from '../database';
import { USABLE_LABEL } from '../crowd/crowd.repository';
import { Prisma } from '../generated/prisma/client';

/** The side a label prefers for training (formats.ts trainingSide): the training aspect's answer, else the choice. */
const TRAINING_SIDE = Prisma.sql`(CASE WHEN k.training_aspect IS NULL THEN l.choice::text
  ELSE l.aspects ->> k.training_aspect END)`;

export interface LabelRow {
  id: string;
  /** Set on the label a ranking stored (ranking campaigns). */
  rankingId?: string | null;
  comparisonId: string;
  assignmentId: string;
  labelerId: string;
  choice: 'A' | 'B' | 'tie' | 'both_bad' | 'skip';
  outcome: number | null;
  strength: number | null;
  rationale: string | null;
  skipReason: string | null;
  /** Answers to the campaign's aspects (null: none), and the pairwise aspect that trains (null: the main choice). */
  aspects: unknown;
  trainingAspect: string | null;
  timeTakenMs: number | null;
  createdAt: Date;
  /** created_at as Postgres text: an exact keyset position (no time-zone or precision round trip). */
  cursorAt: string;
  promptId: string;
  promptExternalId: string;
  promptText: string | null;
  promptMessages: unknown;
  promptMetadata: unknown;
  leftId: string;
  leftExternalId: string | null;
  leftText: string;
  leftModel: string | null;
  rightId: string;
  rightExternalId: string | null;
  rightText: string;
  rightModel: string | null;
  firstResponseId: string;
  secondResponseId: string;
  strategy: string;
  score: number;
  modelVersion: number | null;
  comparisonCreatedAt: Date;
  leasedAt: Date | null;
  /** The newest fit's crowd weight of the label and its sign (null before a reliability fit saw it). */
  weight: number | null;
  weightSign: number | null;
  /** The newest fit's reliability-weighted P(first better) of the comparison. */
  consensus: number | null;
}

export interface LabelCursor {
  at: string;
  id: string;
}

/** A comparison with its decisive votes (for ?aggregate=majority). */
export interface VoteRow {
  comparisonId: string;
  promptText: string | null;
  promptMessages: unknown;
  firstText: string;
  secondText: string;
  firstModel: string | null;
  secondModel: string | null;
  firstVotes: number;
  secondVotes: number;
  /** Mean strength of each side's votes, a vote without strength counting 0 (null without votes). */
  firstStrength: number | null;
  secondStrength: number | null;
  /** The newest fit's reliability-weighted P(first better) (null before a reliability fit saw it). */
  consensus: number | null;
}

export interface PolicyPickRow {
  ordinal: number;
  promptText: string | null;
  promptMessages: unknown;
  responseText: string;
  responseModel: string | null;
}

/** What the dataset card counts (labels of excluded labelers apart: no export carries them). */
export interface CardCountsRow {
  prompts: number;
  responses: number;
  comparisons: number;
  /** Usable labels by choice (excluded labelers' and generated-gold labels left out). */
  a: number;
  b: number;
  ties: number;
  bothBad: number;
  skips: number;
  labelers: number;
  excludedLabels: number;
  excludedLabelers: number;
  /** Comparisons with at least one usable decisive judgment (the aggregated formats' upper bound). */
  decisiveComparisons: number;
}

export interface CardModelRow {
  model: string | null;
  responses: number;
}

const PICK_COLUMN = {
  greedy: Prisma.raw('e.greedy_response_id'),
  pessimistic: Prisma.raw('e.pessimistic_response_id'),
  soft: Prisma.raw('e.soft_response_id'),
  dpo: Prisma.raw('e.dpo_response_id'),
} as const;

@Injectable()
export class ExportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Labels in storage order; `decisiveOnly` keeps A/B judgments (the training formats), and
   * `withBothBad` adds both_bad to them (KTO).
   */
  labels(
    where: CampaignScoped<{ after?: LabelCursor; limit: number; decisiveOnly: boolean; withBothBad?: boolean }>,
  ): Promise<LabelRow[]> {
    const after = where.after
      ? Prisma.sql`AND (l.created_at, l.id) > (${where.after.at}::timestamp, ${where.after.id}::uuid)`
      : Prisma.empty;
    const decisive = !where.decisiveOnly
      ? Prisma.empty
      : where.withBothBad
        ? Prisma.sql`AND ${TRAINING_SIDE} IN ('A', 'B', 'both_bad')`
        : Prisma.sql`AND ${TRAINING_SIDE} IN ('A', 'B')`;
    return this.prisma.$queryRaw<LabelRow[]>`
      SELECT l.id, l.aspects, k.training_aspect AS "trainingAspect", l.comparison_id AS "comparisonId", l.assignment_id AS "assignmentId", l.labeler_id AS "labelerId",
             l.choice::text AS choice, l.outcome, l.strength, l.rationale, l.skip_reason AS "skipReason",
             l.time_taken_ms AS "timeTakenMs", l.created_at AS "createdAt", l.created_at::text AS "cursorAt",
             p.id AS "promptId", p.external_id AS "promptExternalId", p.text AS "promptText",
             p.messages AS "promptMessages", p.metadata AS "promptMetadata",
             lr.id AS "leftId", lr.external_id AS "leftExternalId", lr.text AS "leftText", lr.source_model AS "leftModel",
             rr.id AS "rightId", rr.external_id AS "rightExternalId", rr.text AS "rightText",
             rr.source_model AS "rightModel",
             c.first_response_id AS "firstResponseId", c.second_response_id AS "secondResponseId",
             c.strategy, c.score, mv.version AS "modelVersion", c.created_at AS "comparisonCreatedAt",
             a.leased_at AS "leasedAt", l.weight, l.weight_sign::int AS "weightSign", c.consensus,
             l.ranking_id AS "rankingId"
      FROM labels l
      JOIN campaigns k ON k.id = l.campaign_id
      JOIN comparisons c ON c.id = l.comparison_id
      JOIN prompts p ON p.id = c.prompt_id
      JOIN responses lr ON lr.id = l.left_response_id
      JOIN responses rr ON rr.id = l.right_response_id
      LEFT JOIN model_versions mv ON mv.id = c.model_version_id
      LEFT JOIN assignments a ON a.id = l.assignment_id
      WHERE l.campaign_id = ${where.campaignId}::uuid ${after} ${decisive} AND ${USABLE_LABEL}
      ORDER BY l.created_at, l.id
      LIMIT ${where.limit}`;
  }

  /** Comparisons with at least one decisive judgment, by id, with their vote counts. */
  votes(where: CampaignScoped<{ after?: string; limit: number }>): Promise<VoteRow[]> {
    const after = where.after ? Prisma.sql`AND c.id > ${where.after}::uuid` : Prisma.empty;
    return this.prisma.$queryRaw<VoteRow[]>`
      SELECT c.id AS "comparisonId", p.text AS "promptText", p.messages AS "promptMessages",
             fr.text AS "firstText", sr.text AS "secondText",
             fr.source_model AS "firstModel", sr.source_model AS "secondModel",
             v.first_votes::int AS "firstVotes", v.second_votes::int AS "secondVotes",
             v.first_strength AS "firstStrength", v.second_strength AS "secondStrength", c.consensus
      FROM (
        SELECT l.comparison_id,
               count(*) FILTER (WHERE l.outcome = 1) AS first_votes,
               count(*) FILTER (WHERE l.outcome = 0) AS second_votes,
               avg(COALESCE(l.strength, 0)) FILTER (WHERE l.outcome = 1)::float8 AS first_strength,
               avg(COALESCE(l.strength, 0)) FILTER (WHERE l.outcome = 0)::float8 AS second_strength
        FROM labels l JOIN comparisons c ON c.id = l.comparison_id JOIN campaigns k ON k.id = l.campaign_id
        WHERE l.campaign_id = ${where.campaignId}::uuid AND ${TRAINING_SIDE} IN ('A', 'B') AND ${USABLE_LABEL}
          ${where.after ? Prisma.sql`AND l.comparison_id > ${where.after}::uuid` : Prisma.empty}
        GROUP BY l.comparison_id
        ORDER BY l.comparison_id
        LIMIT ${where.limit}
      ) v
      JOIN comparisons c ON c.id = v.comparison_id
      JOIN prompts p ON p.id = c.prompt_id
      JOIN responses fr ON fr.id = c.first_response_id
      JOIN responses sr ON sr.id = c.second_response_id
      WHERE c.campaign_id = ${where.campaignId}::uuid ${after}
      ORDER BY c.id`;
  }

  async cardCounts(where: CampaignScoped<object>): Promise<CardCountsRow> {
    const rows = await this.prisma.$queryRaw<CardCountsRow[]>`
      WITH usable AS (
        SELECT l.choice, l.labeler_id, l.comparison_id FROM labels l JOIN comparisons c ON c.id = l.comparison_id
        WHERE l.campaign_id = ${where.campaignId}::uuid AND ${USABLE_LABEL}),
      excluded AS (
        SELECT l.labeler_id FROM labels l
        JOIN labeler_standings s ON s.campaign_id = l.campaign_id AND s.labeler_id = l.labeler_id AND s.labels_excluded
        WHERE l.campaign_id = ${where.campaignId}::uuid)
      SELECT (SELECT count(*) FROM prompts WHERE campaign_id = ${where.campaignId}::uuid)::int AS prompts,
             (SELECT count(*) FROM responses WHERE campaign_id = ${where.campaignId}::uuid AND NOT synthetic)::int
               AS responses,
             (SELECT count(DISTINCT comparison_id) FROM usable)::int AS comparisons,
             (SELECT count(*) FROM usable WHERE choice = 'A')::int AS a,
             (SELECT count(*) FROM usable WHERE choice = 'B')::int AS b,
             (SELECT count(*) FROM usable WHERE choice = 'tie')::int AS ties,
             (SELECT count(*) FROM usable WHERE choice = 'both_bad')::int AS "bothBad",
             (SELECT count(*) FROM usable WHERE choice = 'skip')::int AS skips,
             (SELECT count(DISTINCT labeler_id) FROM usable)::int AS labelers,
             (SELECT count(*) FROM excluded)::int AS "excludedLabels",
             (SELECT count(DISTINCT labeler_id) FROM excluded)::int AS "excludedLabelers",
             (SELECT count(DISTINCT comparison_id) FROM usable WHERE choice IN ('A', 'B'))::int AS "decisiveComparisons"`;
    return rows[0];
  }

  cardModels(where: CampaignScoped<object>): Promise<CardModelRow[]> {
    return this.prisma.$queryRaw<CardModelRow[]>`
      SELECT source_model AS model, count(*)::int AS responses FROM responses
      WHERE campaign_id = ${where.campaignId}::uuid AND NOT synthetic
      GROUP BY source_model ORDER BY source_model NULLS LAST`;
  }

  latestPolicy(where: CampaignScoped<object>) {
    return this.prisma.policyVersion.findFirst({
      where: { campaignId: where.campaignId },
      orderBy: { version: 'desc' },
      select: { id: true, version: true },
    });
  }

  async hasDpoPicks(where: CampaignScoped<{ policyVersionId: string }>): Promise<boolean> {
    const row = await this.prisma.policyEntry.findFirst({
      where: { campaignId: where.campaignId, policyVersionId: where.policyVersionId, dpoResponseId: { not: null } },
      select: { promptId: true },
    });
    return row !== null;
  }

  /** Entries of a policy version in prompt order, with the text of the chosen policy's pick. */
  policyPicks(
    where: CampaignScoped<{ policyVersionId: string; policy: keyof typeof PICK_COLUMN; after?: number; limit: number }>,
  ): Promise<PolicyPickRow[]> {
    const after = where.after !== undefined ? Prisma.sql`AND p.ordinal > ${where.after}` : Prisma.empty;
    return this.prisma.$queryRaw<PolicyPickRow[]>`
      SELECT p.ordinal, p.text AS "promptText", p.messages AS "promptMessages", r.text AS "responseText",
             r.source_model AS "responseModel"
      FROM policy_entries e
      JOIN prompts p ON p.id = e.prompt_id
      JOIN responses r ON r.id = ${PICK_COLUMN[where.policy]}
      WHERE e.campaign_id = ${where.campaignId}::uuid AND e.policy_version_id = ${where.policyVersionId}::uuid ${after}
      ORDER BY p.ordinal
      LIMIT ${where.limit}`;
  }
}
