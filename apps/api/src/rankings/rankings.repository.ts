/**
 * Rankings in raw SQL: the task of a lease, the stored ranking (by key or by assignment), and the
 * ranking with its k(k-1)/2 implied pairwise judgments (ranking_pairs), written inside the
 * transaction that stores the slot-filling label (see rankings.service.ts).
 */
import { Injectable } from '@nestjs/common';
import type { CampaignScoped } from '../database';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { Tx } from '../labeling/lease.repository';

/**
 * The `ranking` column of a lease view (alias `a`: the assignment, `c`: its comparison): the task's
 * responses as JSON, null for a pair. Shown in an order hashed from the assignment id, so the
 * selected pair (stored first in ranking_response_ids) is not always on top, while a lease handed
 * back again shows the same order.
 */
export const RANKING_RESPONSES = Prisma.sql`(
  SELECT json_agg(json_build_object('id', r.id, 'text', r.text) ORDER BY md5(a.id::text || r.id::text))
  FROM unnest(c.ranking_response_ids) u(id) JOIN responses r ON r.id = u.id) AS ranking`;

/**
 * The implied pairwise judgments of a campaign's rankings as JudgmentRow columns (plus `at`, for
 * ordering with the labels in learning.repository.ts judgments). Like a label's outcome, which is
 * relative to its comparison's first response, an implied pair has a fixed first side: the smaller
 * response id, so the winner is first about half the time and no side carries the answer. Same
 * exclusions as USABLE_LABEL: excluded labelers and synthetic responses never reach the fit.
 */
export const RANKING_JUDGMENTS = (campaignId: string) => Prisma.sql`
  SELECT rp.created_at AS at, rp.id, LEAST(rp.winner_id, rp.loser_id) AS "firstResponseId",
    GREATEST(rp.winner_id, rp.loser_id) AS "secondResponseId",
    (CASE WHEN rp.winner_id < rp.loser_id THEN 1 ELSE 0 END)::float8 AS outcome, c.yardstick
  FROM ranking_pairs rp JOIN rankings rk ON rk.id = rp.ranking_id JOIN comparisons c ON c.id = rk.comparison_id
  WHERE rp.campaign_id = ${campaignId}::uuid
    AND NOT EXISTS (SELECT 1 FROM labeler_standings s
                    WHERE s.campaign_id = rk.campaign_id AND s.labeler_id = rk.labeler_id AND s.labels_excluded)
    AND NOT EXISTS (SELECT 1 FROM responses sr WHERE sr.id IN (rp.winner_id, rp.loser_id) AND sr.synthetic)`;

export interface RankingRow {
  id: string;
  campaign_id: string;
  comparison_id: string;
  assignment_id: string;
  labeler_id: string;
  order: string[];
  time_taken_ms: number | null;
  idempotency_key: string;
  created_at: Date;
}

export interface RankingExportRow {
  id: string;
  prompt_id: string;
  prompt_text: string | null;
  labeler_id: string;
  created_at: Date;
  responses: { id: string; text: string }[];
}

/** Every pair (i < j) of an order, best first: order[i] beat order[j]. */
export function impliedPairs(order: readonly string[]): { winner: string; loser: string }[] {
  const pairs: { winner: string; loser: string }[] = [];
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) pairs.push({ winner: order[i], loser: order[j] });
  }
  return pairs;
}

@Injectable()
export class RankingsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The responses of the comparison's ranking task (null: a pair, not a ranking). */
  async taskOf(tx: Tx, comparisonId: string): Promise<string[] | null> {
    const rows = await tx.$queryRaw<{ ids: string[] | null }[]>`
      SELECT ranking_response_ids AS ids FROM comparisons WHERE id = ${comparisonId}::uuid`;
    return rows[0]?.ids ?? null;
  }

  async byKey(tx: Tx, labelerId: string, key: string): Promise<RankingRow | null> {
    const rows = await tx.$queryRaw<RankingRow[]>`
      SELECT * FROM rankings WHERE labeler_id = ${labelerId}::uuid AND idempotency_key = ${key}`;
    return rows[0] ?? null;
  }

  async ofAssignment(tx: Tx, assignmentId: string): Promise<RankingRow | null> {
    const rows = await tx.$queryRaw<RankingRow[]>`SELECT * FROM rankings WHERE assignment_id = ${assignmentId}::uuid`;
    return rows[0] ?? null;
  }

  /** The ranking, its implied pairs, and the mark on the slot-filling label, in one statement. */
  async insert(
    tx: Tx,
    r: Omit<RankingRow, 'id' | 'created_at'>,
    labelId: string,
  ): Promise<{ ranking: RankingRow; pairs: number }> {
    const pairs = impliedPairs(r.order);
    const rows = await tx.$queryRaw<(RankingRow & { pairs: number })[]>`
      WITH rk AS (
        INSERT INTO rankings (id, campaign_id, comparison_id, assignment_id, labeler_id, "order", time_taken_ms,
                              idempotency_key)
        VALUES (gen_random_uuid(), ${r.campaign_id}::uuid, ${r.comparison_id}::uuid, ${r.assignment_id}::uuid,
                ${r.labeler_id}::uuid, ${r.order}::uuid[], ${r.time_taken_ms}::int, ${r.idempotency_key})
        RETURNING *),
      p AS (
        INSERT INTO ranking_pairs (id, ranking_id, campaign_id, winner_id, loser_id, created_at)
        SELECT gen_random_uuid(), rk.id, rk.campaign_id, w, l, rk.created_at
        FROM rk, unnest(${pairs.map((p) => p.winner)}::uuid[], ${pairs.map((p) => p.loser)}::uuid[]) AS x(w, l)
        RETURNING 1),
      mark AS (UPDATE labels SET ranking_id = (SELECT id FROM rk) WHERE id = ${labelId}::uuid)
      SELECT rk.*, (SELECT count(*)::int FROM p) AS pairs FROM rk`;
    const { pairs: n, ...ranking } = rows[0];
    return { ranking, pairs: n };
  }

  /** Rankings of a campaign, oldest first, responses best first (labels of excluded labelers left out). */
  exportRows(where: CampaignScoped<object>, after: { createdAt: Date; id: string } | null, limit: number) {
    const afterAt = after?.createdAt ?? new Date(0);
    const afterId = after?.id ?? '00000000-0000-0000-0000-000000000000';
    return this.prisma.$queryRaw<RankingExportRow[]>`
      SELECT rk.id, p.id AS prompt_id, p.text AS prompt_text, rk.labeler_id, rk.created_at,
        (SELECT json_agg(json_build_object('id', r.id, 'text', r.text) ORDER BY u.n)
         FROM unnest(rk."order") WITH ORDINALITY u(id, n) JOIN responses r ON r.id = u.id) AS responses
      FROM rankings rk JOIN comparisons c ON c.id = rk.comparison_id JOIN prompts p ON p.id = c.prompt_id
      WHERE rk.campaign_id = ${where.campaignId}::uuid AND (rk.created_at, rk.id) > (${afterAt}, ${afterId}::uuid)
        AND NOT EXISTS (SELECT 1 FROM labeler_standings s WHERE s.campaign_id = rk.campaign_id
                        AND s.labeler_id = rk.labeler_id AND s.labels_excluded)
      ORDER BY rk.created_at, rk.id LIMIT ${limit}`;
  }
}
