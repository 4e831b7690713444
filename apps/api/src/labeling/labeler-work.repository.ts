/**
 * A labeler's counts in a campaign, defined once: the home page (GET /campaigns, through
 * CampaignsRepository) and the comparison page (GET /campaigns/:id/progress, through LeaseRepository)
 * run this same statement, so they cannot disagree. "Remaining" uses the conditions of the lease
 * statement (LeaseRepository's takeSlot: the slot AVAILABLE fragment), so it counts exactly what
 * `next` could hand out.
 */
import type { LabelerCounts, LabelerWaitReason } from '@borda/api-contract';
import { Prisma } from '../generated/prisma/client';
import { AVAILABLE, LIVE, LIVE_SLOTS, PAUSED } from './lease.repository';

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
      -- per comparison the labeler could be given: is any of its slots available?
      SELECT bool_or(${AVAILABLE()}) AS has_slot
      FROM comparisons c JOIN comparison_slots s ON s.comparison_id = c.id AND s.slot < c.labels_required
      WHERE c.campaign_id = ${campaignId}::uuid AND c.state = 'open'
        AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.comparison_id = c.id AND a.labeler_id = ${labelerId}::uuid
                        AND (a.state IN ('submitted', 'skipped') OR (${LIVE})))
      GROUP BY c.id)
    SELECT k.status::text AS status, k.budget, k.label_count AS "labelCount",
      ${LIVE_SLOTS(Prisma.sql`k.id`)} AS "liveBudgeted",
      ${PAUSED(Prisma.sql`k.id`, labelerId)} AS "labelerPaused",
      (SELECT count(*)::int FROM assignments a WHERE a.campaign_id = k.id AND a.labeler_id = ${labelerId}::uuid
         AND ${LIVE}) AS leased,
      l."doneToday", l."doneTotal", l."skippedTotal",
      (SELECT count(*)::int FROM comparisons c WHERE c.campaign_id = k.id AND c.state = 'open') AS "openTotal",
      (SELECT count(*)::int FROM candidates WHERE has_slot) AS available,
      (SELECT count(*)::int FROM candidates WHERE NOT has_slot) AS "leasedByOthers"
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
