/**
 * A labeler's counts in a campaign, defined once: the home page (GET /campaigns, through
 * CampaignsRepository) and the comparison page (GET /campaigns/:id/progress, through LeaseRepository)
 * run this same statement, so they cannot disagree. "Remaining" uses the conditions of the lease
 * statements (LeaseRepository.lease / leaseFast), so it counts exactly what `next` could hand out.
 */
import type { LabelerCounts, LabelerWaitReason } from '@borda/api-contract';
import { Prisma } from '../generated/prisma/client';
import { LIVE, LIVE_BUDGETED, PAUSED } from './lease.repository';

export interface LabelerWorkRow {
  status: string;
  budget: number;
  labelCount: number;
  liveBudgeted: number;
  labelerPaused: boolean;
  leased: number;
  doneToday: number;
  doneTotal: number;
  skippedTotal: number;
  openTotal: number;
  /** Open comparisons the labeler never judged, skipped nor holds, with a slot free. */
  available: number;
  /** The same, but every slot is taken by other labelers' live leases. */
  leasedByOthers: number;
}

export function labelerWorkQuery(campaignId: string, labelerId: string): Prisma.Sql {
  return Prisma.sql`
    WITH candidates AS (
      SELECT c.labels_received + (SELECT count(*) FROM assignments a WHERE a.comparison_id = c.id AND ${LIVE})
               >= c.labels_required AS is_full
      FROM comparisons c
      WHERE c.campaign_id = ${campaignId}::uuid AND c.state = 'open'
        AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.comparison_id = c.id AND a.labeler_id = ${labelerId}::uuid
                        AND (a.state IN ('submitted', 'skipped') OR (${LIVE}))))
    SELECT k.status::text AS status, k.budget, k.label_count AS "labelCount",
      (SELECT count(*)::int FROM assignments a WHERE a.campaign_id = k.id AND ${LIVE_BUDGETED}) AS "liveBudgeted",
      ${PAUSED(Prisma.sql`k.id`, labelerId)} AS "labelerPaused",
      (SELECT count(*)::int FROM assignments a WHERE a.campaign_id = k.id AND a.labeler_id = ${labelerId}::uuid
         AND ${LIVE}) AS leased,
      l."doneToday", l."doneTotal", l."skippedTotal",
      (SELECT count(*)::int FROM comparisons c WHERE c.campaign_id = k.id AND c.state = 'open') AS "openTotal",
      (SELECT count(*)::int FROM candidates WHERE NOT is_full) AS available,
      (SELECT count(*)::int FROM candidates WHERE is_full) AS "leasedByOthers"
    FROM campaigns k,
      LATERAL (SELECT
        count(*) FILTER (WHERE x.choice <> 'skip' AND x.created_at >= date_trunc('day', now() AT TIME ZONE 'UTC')
                         AT TIME ZONE 'UTC')::int AS "doneToday",
        count(*) FILTER (WHERE x.choice <> 'skip')::int AS "doneTotal",
        count(*) FILTER (WHERE x.choice = 'skip')::int AS "skippedTotal"
        FROM labels x WHERE x.campaign_id = k.id AND x.labeler_id = ${labelerId}::uuid) l
    WHERE k.id = ${campaignId}::uuid`;
}

/** Why nothing is left for the labeler, most final first (see LabelerWaitReason). */
function waitReason(row: LabelerWorkRow, room: number): LabelerWaitReason | null {
  if (row.status === 'paused') return 'campaign_paused';
  // A spent budget completes the campaign: say why it closed.
  if (row.labelCount >= row.budget) return 'budget_reached';
  if (row.status !== 'active') return 'campaign_closed';
  if (row.labelerPaused) return 'labeler_paused';
  if (row.available > 0) return room > 0 ? null : 'budget_leased';
  if (row.leasedByOthers > 0) return 'others_leased';
  if (row.openTotal > 0) return 'others_judging';
  return 'selecting';
}

export function labelerCounts(row: LabelerWorkRow): LabelerCounts {
  // Live leases count against the budget (see LabelingService.next): what they cover cannot be leased.
  const room = Math.max(0, row.budget - row.labelCount - row.liveBudgeted);
  // A paused campaign (or labeler) keeps its count: it is the work waiting for when it resumes.
  return { remaining: Math.min(row.available, room), leased: row.leased, waitReason: waitReason(row, room) };
}
