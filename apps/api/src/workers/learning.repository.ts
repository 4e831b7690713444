/**
 * Database access of the learning jobs (fit, policy, selection): candidates, judgments, model and
 * policy versions, comparisons. Every query is scoped to one campaign.
 */
import { Injectable } from '@nestjs/common';
import { type ReliabilityFields, USABLE_LABEL } from '../crowd/crowd.repository';
import type { Campaign, CampaignScoped, ModelVersion } from '../database';
import { chunks } from '../database/scoped';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import { AVAILABLE } from '../labeling/lease.repository';
import type { PromptRow, ResponseRow } from '../learning/candidates';
import type { CrowdJudgmentRow } from '../learning/crowd-fit';
import type { JudgmentRow } from '../learning/observations';
import type { PolicyEntryRow } from '../learning/policies';
import { RANKING_JUDGMENTS } from '../rankings/rankings.repository';

export interface OpenComparison {
  id: string;
  promptId: string;
  firstResponseId: string;
  secondResponseId: string;
  outstanding: number;
  /** Slots a labeler could lease now (not held by a live lease, not filled). */
  available: number;
  labelsReceived: number;
  yardstick: boolean;
  /** The version whose selection chose it (null: the prior). */
  modelVersionId: string | null;
}

export interface NewComparison {
  promptId: string;
  firstResponseId: string;
  secondResponseId: string;
  score: number;
  /** Drawn uniformly for the yardstick rather than by the strategy. */
  yardstick?: boolean;
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** One labeler_reliability row (see prisma/schema.prisma LabelerReliability). */
/** One labeler_reliability row as the fit writes it (see prisma/schema.prisma LabelerReliability). */
export interface LabelerReliabilityRow extends ReliabilityFields {
  reasons: unknown;
  evidence: unknown;
}

@Injectable()
export class LearningRepository {
  constructor(private readonly prisma: PrismaService) {}

  campaign(where: CampaignScoped<object>): Promise<Campaign | null> {
    return this.prisma.campaign.findUnique({ where: { id: where.campaignId } });
  }

  /** Changes whenever prompts are added or (re)featurized: the candidate cache key. */
  async candidateRevision(where: CampaignScoped<object>): Promise<string> {
    const rows = await this.prisma.$queryRaw<{ n: bigint; total: bigint; last: Date | null }[]>`
      SELECT count(featurized_at) AS n, count(*) AS total, max(featurized_at) AS last
      FROM prompts WHERE campaign_id = ${where.campaignId}::uuid`;
    const r = rows[0];
    return `${r.total}:${r.n}:${r.last?.toISOString() ?? '-'}`;
  }

  /** Featurized prompts by ordinal and their featurized responses (grouped by prompt ordinal, then ordinal). */
  async candidateRows(where: CampaignScoped<object>): Promise<{ prompts: PromptRow[]; responses: ResponseRow[] }> {
    // bytea travels as base64 text: the driver adapter cannot return raw Bytes from $queryRaw.
    const prompts = await this.prisma.$queryRaw<{ id: string; embedding: string }[]>`
      SELECT id, encode(embedding, 'base64') AS embedding FROM prompts
      WHERE campaign_id = ${where.campaignId}::uuid AND featurized_at IS NOT NULL AND embedding IS NOT NULL
      ORDER BY ordinal`;
    const responses = await this.prisma.$queryRaw<(Omit<ResponseRow, 'embedding'> & { embedding: string })[]>`
      SELECT id, prompt_id AS "promptId", ordinal, encode(embedding, 'base64') AS embedding, reference_logprob AS "referenceLogprob"
      FROM responses
      WHERE campaign_id = ${where.campaignId}::uuid AND featurized_at IS NOT NULL AND embedding IS NOT NULL`;
    const bytes = (b64: string) => Buffer.from(b64, 'base64');
    return {
      prompts: prompts.map((p) => ({ id: p.id, embedding: bytes(p.embedding) })),
      responses: responses.map((r) => ({ ...r, embedding: bytes(r.embedding) })),
    };
  }

  /**
   * Judgments (outcome not null: both_bad and skips excluded), oldest first. Labels of labelers whose
   * labels a researcher excluded, and labels about synthetic (generated gold) responses, are left
   * out (USABLE_LABEL); the stored outcome is the newest, revisions included.
   */
  judgments(where: CampaignScoped<object>): Promise<JudgmentRow[]> {
    // Implied pairs of rankings join the labels; a ranking's slot-filling label (ranking_id) is one of them.
    return this.prisma.$queryRaw<(JudgmentRow & { at: Date })[]>`
      SELECT l.created_at AS at, l.id, c.first_response_id AS "firstResponseId",
        c.second_response_id AS "secondResponseId", l.outcome, c.yardstick
      FROM labels l JOIN comparisons c ON c.id = l.comparison_id
      WHERE l.campaign_id = ${where.campaignId}::uuid AND l.outcome IS NOT NULL AND ${USABLE_LABEL}
        AND l.ranking_id IS NULL
      UNION ALL
      ${RANKING_JUDGMENTS(where.campaignId)}
      ORDER BY 1, 2`.then((rows) => rows.map(({ at: _at, ...row }) => row));
  }

  /**
   * The crowd model's view of the same labels (issue 10): who judged, which side the first response was
   * shown on, the choice (A, B, tie, both_bad; skips never), and the comparison's gold answer. Same
   * exclusions as `judgments` (USABLE_LABEL), so excluded labelers' labels never reach the EM.
   */
  crowdJudgments(where: CampaignScoped<object>): Promise<CrowdJudgmentRow[]> {
    return this.prisma.$queryRaw<CrowdJudgmentRow[]>`
      SELECT l.id AS "labelId", l.comparison_id AS "comparisonId", l.labeler_id AS "labelerId",
        c.first_response_id AS "firstResponseId", c.second_response_id AS "secondResponseId",
        l.choice::text AS choice, a.first_on_left AS "firstOnLeft", l.outcome,
        CASE WHEN c.gold_response_id IS NULL THEN NULL ELSE c.gold_response_id = c.first_response_id END AS "goldFirst"
      FROM labels l JOIN comparisons c ON c.id = l.comparison_id JOIN assignments a ON a.id = l.assignment_id
      WHERE l.campaign_id = ${where.campaignId}::uuid AND l.choice <> 'skip' AND ${USABLE_LABEL}
      ORDER BY l.created_at, l.id`;
  }

  /** The newest model version's crowd reliability state (the warm start of the next fit). */
  async latestReliabilityState(where: CampaignScoped<object>): Promise<unknown> {
    const row = await this.prisma.modelVersion.findFirst({
      where: { campaignId: where.campaignId, reliabilityState: { not: Prisma.AnyNull } },
      orderBy: { version: 'desc' },
      select: { reliabilityState: true },
    });
    return row?.reliabilityState ?? null;
  }

  /** Labelers of the campaign a researcher or a fit has paused. */
  async pausedLabelers(where: CampaignScoped<object>): Promise<Set<string>> {
    const rows = await this.prisma.labelerStanding.findMany({
      where: { campaignId: where.campaignId, paused: true },
      select: { labelerId: true },
    });
    return new Set(rows.map((r) => r.labelerId));
  }

  /**
   * One transaction per fit: the crowd state on the model version, one labeler_reliability row per
   * labeler, each label's weight and sign and each comparison's consensus (one unnest statement each).
   */
  async storeCrowdFit(
    where: CampaignScoped<{
      modelVersionId: string;
      state: unknown;
      labelers: readonly LabelerReliabilityRow[];
      labelWeights: readonly { labelId: string; weight: number; sign: number }[];
      consensus: readonly { comparisonId: string; consensus: number | null }[];
    }>,
  ): Promise<void> {
    const { campaignId, modelVersionId } = where;
    await this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`
          UPDATE model_versions SET reliability_state = ${JSON.stringify(where.state)}::jsonb
          WHERE id = ${modelVersionId}::uuid AND campaign_id = ${campaignId}::uuid`;
        const L = where.labelers;
        if (L.length > 0) {
          const col = <T>(f: (r: LabelerReliabilityRow) => T) => L.map(f);
          await tx.$executeRaw`
            INSERT INTO labeler_reliability (model_version_id, campaign_id, labeler_id, judgments, directional,
              accuracy, accuracy_low, accuracy_high, inverted, inverted_low, inverted_high, random, random_low, random_high,
              position_bias, position_bias_low, position_bias_high, gold_trials, gold_accuracy, gold_low, gold_high,
              agreement_with_consensus, agreement_with_model, flagged, reasons, evidence)
            SELECT ${modelVersionId}::uuid, ${campaignId}::uuid, u.*
            FROM unnest(${col((r) => r.labelerId)}::uuid[], ${col((r) => r.judgments)}::int[],
              ${col((r) => r.directional)}::int[], ${col((r) => r.accuracy)}::float8[], ${col((r) => r.accuracyLow)}::float8[],
              ${col((r) => r.accuracyHigh)}::float8[], ${col((r) => r.inverted)}::float8[], ${col((r) => r.invertedLow)}::float8[],
              ${col((r) => r.invertedHigh)}::float8[], ${col((r) => r.random)}::float8[], ${col((r) => r.randomLow)}::float8[],
              ${col((r) => r.randomHigh)}::float8[], ${col((r) => r.positionBias)}::float8[],
              ${col((r) => r.positionBiasLow)}::float8[], ${col((r) => r.positionBiasHigh)}::float8[],
              ${col((r) => r.goldTrials)}::int[], ${col((r) => r.goldAccuracy)}::float8[], ${col((r) => r.goldLow)}::float8[],
              ${col((r) => r.goldHigh)}::float8[], ${col((r) => r.agreementWithConsensus)}::float8[],
              ${col((r) => r.agreementWithModel)}::float8[], ${col((r) => r.flagged)}::bool[],
              ${col((r) => JSON.stringify(r.reasons))}::jsonb[], ${col((r) => JSON.stringify(r.evidence))}::jsonb[])
              AS u(labeler_id, judgments, directional, accuracy, accuracy_low, accuracy_high, inverted, inverted_low,
                   inverted_high, random, random_low, random_high, position_bias, position_bias_low, position_bias_high,
                   gold_trials, gold_accuracy, gold_low, gold_high, agreement_with_consensus, agreement_with_model,
                   flagged, reasons, evidence)
            ON CONFLICT (model_version_id, labeler_id) DO NOTHING`;
        }
        for (const c of chunks(where.labelWeights, 20_000)) {
          await tx.$executeRaw`
            UPDATE labels l SET weight = u.w, weight_sign = u.s
            FROM unnest(${c.map((w) => w.labelId)}::uuid[], ${c.map((w) => w.weight)}::float8[],
                        ${c.map((w) => w.sign)}::smallint[]) AS u(id, w, s)
            WHERE l.id = u.id AND l.campaign_id = ${campaignId}::uuid`;
        }
        for (const c of chunks(where.consensus, 20_000)) {
          await tx.$executeRaw`
            UPDATE comparisons c SET consensus = u.p
            FROM unnest(${c.map((w) => w.comparisonId)}::uuid[], ${c.map((w) => w.consensus)}::float8[]) AS u(id, p)
            WHERE c.id = u.id AND c.campaign_id = ${campaignId}::uuid`;
        }
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  }

  latestModelVersionId(where: CampaignScoped<object>): Promise<{ id: string; labelCount: number } | null> {
    return this.prisma.modelVersion.findFirst({
      where: { campaignId: where.campaignId },
      orderBy: { version: 'desc' },
      select: { id: true, labelCount: true },
    });
  }

  modelVersion(where: CampaignScoped<{ modelVersionId: string }>): Promise<ModelVersion | null> {
    return this.prisma.modelVersion.findFirst({ where: { id: where.modelVersionId, campaignId: where.campaignId } });
  }

  /** Inserts version max+1 in one statement (the unique (campaign, version) index guards races). */
  async publishModelVersion(
    where: CampaignScoped<{
      kind: string;
      labelCount: number;
      metrics: unknown;
      certificate: unknown;
      parameters: unknown;
      jobRunId: string | null;
    }>,
  ): Promise<{ id: string; version: number }> {
    const rows = await this.prisma.$queryRaw<{ id: string; version: number }[]>`
      INSERT INTO model_versions (id, campaign_id, version, kind, label_count, metrics, certificate, parameters, job_run_id)
      SELECT gen_random_uuid(), ${where.campaignId}::uuid, COALESCE(MAX(version), 0) + 1, ${where.kind},
        ${where.labelCount}, ${JSON.stringify(where.metrics)}::jsonb, ${JSON.stringify(where.certificate)}::jsonb,
        ${JSON.stringify(where.parameters)}::jsonb, ${where.jobRunId}::uuid
      FROM model_versions WHERE campaign_id = ${where.campaignId}::uuid
      RETURNING id, version`;
    return rows[0];
  }

  /**
   * One transaction: the policy version, its entries (chunked inserts) and the removal of older
   * versions' entries (their policy_versions rows stay), so storage holds one policy's entries.
   */
  async publishPolicy(
    where: CampaignScoped<{
      modelVersionId: string;
      labelCount: number;
      summary: unknown;
      dpoParameters: unknown;
      entries: readonly PolicyEntryRow[];
    }>,
  ): Promise<{ id: string; version: number }> {
    const { campaignId } = where;
    return this.prisma.$transaction(
      async (tx) => {
        const last = await tx.policyVersion.findFirst({
          where: { campaignId },
          orderBy: { version: 'desc' },
          select: { version: true },
        });
        const created = await tx.policyVersion.create({
          data: {
            campaignId,
            version: (last?.version ?? 0) + 1,
            modelVersionId: where.modelVersionId,
            labelCount: where.labelCount,
            summary: json(where.summary),
            dpoParameters: where.dpoParameters === null ? undefined : json(where.dpoParameters),
          },
          select: { id: true, version: true },
        });
        await tx.policyEntry.deleteMany({ where: { campaignId, policyVersionId: { not: created.id } } });
        // unnest over column arrays: one statement per 5000 entries (createMany's per-row binding is ~5× slower).
        for (const c of chunks(where.entries, 5000)) {
          const col = <T>(f: (e: PolicyEntryRow) => T) => c.map(f);
          await tx.$executeRaw`
            INSERT INTO policy_entries (policy_version_id, campaign_id, prompt_id, greedy_response_id,
              pessimistic_response_id, soft_response_id, dpo_response_id, mean, std, lcb, ucb, lcb_margin, gap, responses)
            SELECT ${created.id}::uuid, ${campaignId}::uuid, u.p, u.g, u.pe, u.s, u.d, u.mean, u.std, u.lcb, u.ucb,
              u.margin, u.gap, u.r::jsonb
            FROM unnest(${col((e) => e.promptId)}::uuid[], ${col((e) => e.greedyResponseId)}::uuid[],
              ${col((e) => e.pessimisticResponseId)}::uuid[], ${col((e) => e.softResponseId)}::uuid[],
              ${col((e) => e.dpoResponseId)}::uuid[], ${col((e) => e.mean)}::float8[], ${col((e) => e.std)}::float8[],
              ${col((e) => e.lcb)}::float8[], ${col((e) => e.ucb)}::float8[], ${col((e) => e.lcbMargin)}::float8[],
              ${col((e) => e.gap)}::float8[], ${col((e) => JSON.stringify(e.responses))}::text[])
              AS u(p, g, pe, s, d, mean, std, lcb, ucb, margin, gap, r)`;
        }
        return created;
      },
      { timeout: 600_000, maxWait: 30_000 },
    );
  }

  /** The newest policy version's greedy pick per prompt (before a new version replaces its entries). */
  async currentGreedyPicks(
    where: CampaignScoped<object>,
  ): Promise<{ version: number; picks: Map<string, string> } | null> {
    const latest = await this.prisma.policyVersion.findFirst({
      where: { campaignId: where.campaignId },
      orderBy: { version: 'desc' },
      select: { id: true, version: true },
    });
    if (!latest) return null;
    const rows = await this.prisma.policyEntry.findMany({
      where: { campaignId: where.campaignId, policyVersionId: latest.id },
      select: { promptId: true, greedyResponseId: true },
    });
    return { version: latest.version, picks: new Map(rows.map((r) => [r.promptId, r.greedyResponseId])) };
  }

  openComparisons(where: CampaignScoped<object>): Promise<OpenComparison[]> {
    return this.prisma.$queryRaw<OpenComparison[]>`
      SELECT id, prompt_id AS "promptId", first_response_id AS "firstResponseId",
        second_response_id AS "secondResponseId", GREATEST(labels_required - labels_received, 0) AS outstanding,
        (SELECT count(*)::int FROM comparison_slots s
          WHERE s.comparison_id = c.id AND s.slot < c.labels_required AND ${AVAILABLE()}) AS available,
        labels_received AS "labelsReceived", yardstick, model_version_id AS "modelVersionId"
      FROM comparisons c WHERE campaign_id = ${where.campaignId}::uuid AND state = 'open'
      ORDER BY position`;
  }

  /** Comparisons ever created for the campaign (the selection round counter of the Rng seed). */
  comparisonCount(where: CampaignScoped<object>): Promise<number> {
    return this.prisma.comparison.count({ where: { campaignId: where.campaignId } });
  }

  /**
   * Cancels open comparisons a previous model chose that nobody has started (no label, no live lease),
   * so the newest model's picks are served next instead of waiting behind stale ones. Yardstick
   * comparisons do not depend on a model and stay. Step 1 locks the candidates (SKIP LOCKED: a lease
   * in progress keeps its row); step 2 re-checks them on a fresh snapshot under those locks, so a lease
   * committed just before is seen and its comparison kept. Returns how many were cancelled.
   */
  async retireStalePicks(where: CampaignScoped<{ modelVersionId: string }>): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM comparisons
        WHERE campaign_id = ${where.campaignId}::uuid AND state = 'open' AND NOT yardstick AND labels_received = 0
          AND model_version_id IS DISTINCT FROM ${where.modelVersionId}::uuid
        FOR UPDATE SKIP LOCKED`;
      if (locked.length === 0) return 0;
      return tx.$executeRaw`
        UPDATE comparisons c SET state = 'cancelled', completed_at = now()
        WHERE c.id = ANY(${locked.map((r) => r.id)}::uuid[]) AND c.labels_received = 0
          AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.comparison_id = c.id
                          AND a.state = 'leased' AND a.expires_at > now())`;
    });
  }

  /** Yardstick comparisons and all comparisons of the campaign that were not retired (the yardstick share's tally). */
  async yardstickTally(where: CampaignScoped<object>): Promise<{ yardsticks: number; standing: number }> {
    const rows = await this.prisma.$queryRaw<{ yardsticks: number; standing: number }[]>`
      SELECT count(*) FILTER (WHERE yardstick)::int AS yardsticks, count(*)::int AS standing
      FROM comparisons WHERE campaign_id = ${where.campaignId}::uuid AND state <> 'cancelled'`;
    return rows[0];
  }

  /** Inserts one round's comparisons in one statement, positions in the given order; returns their ids. */
  async insertComparisons(
    where: CampaignScoped<{
      rows: readonly NewComparison[];
      strategy: string;
      modelVersionId: string | null;
      selectionRunId: string | null;
      labelsRequired: number;
    }>,
  ): Promise<string[]> {
    const { campaignId, rows } = where;
    if (rows.length === 0) return [];
    const created = await this.prisma.comparison.createManyAndReturn({
      data: rows.map((r) => ({
        campaignId,
        promptId: r.promptId,
        firstResponseId: r.firstResponseId,
        secondResponseId: r.secondResponseId,
        score: Number.isFinite(r.score) ? r.score : 0,
        strategy: r.yardstick ? 'yardstick' : where.strategy,
        yardstick: r.yardstick ?? false,
        modelVersionId: where.modelVersionId,
        selectionRunId: where.selectionRunId,
        labelsRequired: where.labelsRequired,
      })),
      select: { id: true },
    });
    return created.map((c) => c.id);
  }
}
