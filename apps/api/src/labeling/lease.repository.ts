/**
 * Leasing in raw SQL, as slot rows (issue 11 item 1). A comparison has labels_required rows in
 * comparison_slots; a lease is ONE statement that locks an available slot (FOR UPDATE SKIP LOCKED)
 * and takes it. Availability (`AVAILABLE`) reads only the slot row, so when the lock waits on or
 * follows a concurrent change, Postgres re-checks it on the newest row version: two requests can
 * never hold one slot, and no lease is recounted or given back. A SKIP LOCKED miss simply moves on to
 * the next slot. "One lease per labeler per comparison" is the unique index on
 * assignments (comparison_id, labeler_id). Triggers (migration 20261207130000_comparison_slots)
 * create slots with every comparison and whenever labels_required grows, and make a slot follow the
 * assignment holding it (extended, filled by a judgment, opened by a skip or an early end).
 */
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { CampaignScoped } from '../database';
import { Prisma } from '../generated/prisma/client';
import { type LabelerWorkRow, labelerWorkQuery } from './labeler-work.repository';
import { RANKING_RESPONSES } from '../rankings/rankings.repository';

export type Tx = Prisma.TransactionClient;
type Scope = CampaignScoped<{ userId: string }>;

/** A lease is live while it is 'leased' and unexpired (per-labeler counts: held leases, the prefetch cap). */
export const LIVE = Prisma.sql`a.state = 'leased' AND a.expires_at > now()`;
/**
 * THE availability condition, on a comparison_slots row `s` and nothing else: free, or held by a lease
 * that expired. Every lease, count and diagnosis uses this fragment or its complement `SLOT_LIVE`.
 */
export const AVAILABLE = (s: Prisma.Sql = Prisma.sql`s`) =>
  Prisma.sql`(${s}.state = 'open' OR (${s}.state = 'leased' AND ${s}.expires_at <= now()))`;
/** A slot held by a live lease (gold checks hold no slot, so these are exactly the budgeted leases). */
export const SLOT_LIVE = (s: Prisma.Sql = Prisma.sql`s`) =>
  Prisma.sql`(${s}.state = 'leased' AND ${s}.expires_at > now())`;
/** Live budgeted leases of a campaign (`campaign`: an SQL expression for its id). */
export const LIVE_SLOTS = (campaign: Prisma.Sql) =>
  Prisma.sql`(SELECT count(*)::int FROM comparison_slots s WHERE s.campaign_id = ${campaign} AND ${SLOT_LIVE()})`;
/** The caller is paused in this campaign (labeler_standings): no new work. */
export const PAUSED = (campaign: Prisma.Sql, userId: string) => Prisma.sql`EXISTS (SELECT 1 FROM labeler_standings s
  WHERE s.campaign_id = ${campaign} AND s.labeler_id = ${userId}::uuid AND s.paused)`;
/** Labels left above which live leases cannot eat the budget (that many leases would be absurd). */
const FAR_FROM_BUDGET = 100_000;
/** Interactive transactions wait for a pool connection under load: the default 2 s is too short. */
export const TX = { maxWait: 15_000, timeout: 15_000 };

/** Why the budget guard refused a lease: every judgment is in, or live leases cover what is left. */
export type BudgetState = 'spent' | 'leased';

export interface LabelingContext {
  status: string;
  ownerId: string;
  budget: number;
  labelCount: number;
  leaseSeconds: number;
  assigned: boolean;
  liveLeases: number;
  paused: boolean;
}

export interface LeaseRow {
  id: string;
  comparison_id: string;
  expires_at: Date;
  first_on_left: boolean;
  prompt_id: string;
  prompt_text: string | null;
  messages: unknown[] | null;
  first_id: string;
  first_text: string;
  second_id: string;
  second_text: string;
  /** Ranking tasks only: the task's responses, in the order shown (rankings.repository.ts). */
  ranking: { id: string; text: string }[] | null;
}

const LEASE_VIEW = (from: Prisma.Sql) => Prisma.sql`
  SELECT a.id, a.comparison_id, a.expires_at, a.first_on_left, p.id AS prompt_id, p.text AS prompt_text, p.messages,
         r1.id AS first_id, r1.text AS first_text, r2.id AS second_id, r2.text AS second_text,
         ${RANKING_RESPONSES}
  FROM ${from} a
  JOIN comparisons c ON c.id = a.comparison_id
  JOIN prompts p ON p.id = c.prompt_id
  JOIN responses r1 ON r1.id = c.first_response_id
  JOIN responses r2 ON r2.id = c.second_response_id`;

/**
 * Takes one slot for `uid`, in one statement, when `gate` (a query returning the campaign's id and
 * lease_seconds) returns a row. `pick` locks the first available slot, in comparison position order,
 * of an open comparison the labeler never judged, skipped nor holds: FOR UPDATE SKIP LOCKED on the
 * slot makes concurrent callers take different slots and re-checks `AVAILABLE` on the newest version
 * of a slot changed since this statement's snapshot (a slot taken meanwhile is passed over, not
 * over-leased). FOR KEY SHARE on the comparison keeps retireStalePicks (FOR UPDATE) from cancelling
 * it under the lease, and re-checks that it is still open. The lease row is then inserted (or the
 * caller's own expired lease of that comparison revived) and the slot marked as held by it; the slot
 * is ours under the lock, so that UPDATE cannot fail. If the caller raced themselves to the same
 * comparison (two tabs), the unique (comparison_id, labeler_id) index refuses the second insert: no
 * row, nothing written; the careful path's statement then runs on a snapshot that sees the
 * other lease, and takes another comparison.
 */
function takeSlot(gate: Prisma.Sql, campaignId: string, uid: string, firstOnLeft: boolean): Prisma.Sql {
  return Prisma.sql`
    WITH k AS (${gate}),
    pick AS (
      SELECT s.comparison_id, s.slot, c.campaign_id FROM comparisons c
      JOIN comparison_slots s ON s.comparison_id = c.id
      WHERE c.campaign_id = ${campaignId}::uuid AND c.state = 'open' AND EXISTS (SELECT 1 FROM k)
        AND s.slot < c.labels_required AND ${AVAILABLE()}
        AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.comparison_id = c.id AND a.labeler_id = ${uid}::uuid
                        AND (a.state IN ('submitted', 'skipped') OR (${LIVE})))
      ORDER BY c.position, s.slot LIMIT 1
      FOR UPDATE OF s SKIP LOCKED FOR KEY SHARE OF c SKIP LOCKED),
    ins AS (
      INSERT INTO assignments (id, campaign_id, comparison_id, labeler_id, state, first_on_left, leased_at, expires_at,
                               slot)
      SELECT gen_random_uuid(), pick.campaign_id, pick.comparison_id, ${uid}::uuid, 'leased', ${firstOnLeft}, now(),
             now() + make_interval(secs => k.lease_seconds), pick.slot
      FROM pick, k
      ON CONFLICT (comparison_id, labeler_id) DO UPDATE
        SET state = 'leased', leased_at = now(), expires_at = EXCLUDED.expires_at, finished_at = NULL,
            slot = EXCLUDED.slot
        WHERE assignments.state IN ('leased', 'expired') AND assignments.expires_at <= now()
      RETURNING *),
    taken AS (
      UPDATE comparison_slots s SET state = 'leased', holder = ins.labeler_id, assignment_id = ins.id,
             expires_at = ins.expires_at
      FROM ins WHERE s.comparison_id = ins.comparison_id AND s.slot = ins.slot
      RETURNING s.slot)
    SELECT v.*, (SELECT lease_seconds FROM k) AS lease_seconds FROM (${LEASE_VIEW(Prisma.sql`ins`)}) v
    WHERE EXISTS (SELECT 1 FROM taken)`;
}

@Injectable()
export class LeaseRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The campaign, whether the caller is assigned, and the campaign's live leases: one round trip. */
  async context(scope: Scope): Promise<LabelingContext | null> {
    const rows = await this.prisma.$queryRaw<LabelingContext[]>`
      SELECT c.status::text AS status, c.owner_id AS "ownerId", c.budget, c.label_count AS "labelCount",
             c.lease_seconds AS "leaseSeconds",
             EXISTS (SELECT 1 FROM campaign_labelers l WHERE l.campaign_id = c.id AND l.user_id = ${scope.userId}::uuid)
               AS assigned,
             ${LIVE_SLOTS(Prisma.sql`c.id`)} AS "liveLeases",
             ${PAUSED(Prisma.sql`c.id`, scope.userId)} AS paused
      FROM campaigns c WHERE c.id = ${scope.campaignId}::uuid`;
    return rows[0] ?? null;
  }

  /**
   * The careful lease (every case the fast one declines): leases one slot to the caller, or returns
   * 'cap' when they already hold `maxLeases` live leases, a BudgetState when the budget guard refuses,
   * or null when no slot is available to them. Runs the same slot statement as `leaseFast`, once.
   */
  lease(
    scope: Scope,
    options: { maxLeases: number; leaseSeconds: number; firstOnLeft: boolean; budgetGuard: boolean },
  ): Promise<LeaseRow | 'cap' | BudgetState | null> {
    const { campaignId, userId } = scope;
    return this.prisma.$transaction(async (tx) => {
      if (options.budgetGuard) {
        const budget = await this.budgetState(tx, campaignId);
        if (budget !== 'open') return budget;
      }
      const gate = Prisma.sql`
        SELECT k.id, k.lease_seconds FROM campaigns k
        WHERE k.id = ${campaignId}::uuid AND k.status = 'active'
          AND (SELECT count(*) FROM assignments a WHERE a.campaign_id = k.id AND a.labeler_id = ${userId}::uuid
               AND ${LIVE}) < ${options.maxLeases}`;
      const rows = await tx.$queryRaw<LeaseRow[]>(takeSlot(gate, campaignId, userId, options.firstOnLeft));
      if (rows.length === 1) return rows[0];
      return (await this.heldCount(tx, scope)) >= options.maxLeases ? 'cap' : null;
    }, TX);
  }

  /**
   * Near the end of the budget, leases of the campaign take turns (a transaction-scoped advisory
   * lock) and recount judgments + live leases on a fresh snapshot, so the last labels are not leased
   * to more labelers than the budget can take. Far from the end this is skipped: leases run in parallel.
   * 'spent' is final; 'leased' (live leases cover what is left) clears as leases are judged or expire.
   */
  private async budgetState(tx: Tx, campaignId: string): Promise<BudgetState | 'open'> {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${campaignId}, 7241))::text`;
    const rows = await tx.$queryRaw<{ spent: boolean; full: boolean }[]>`
      SELECT k.label_count >= k.budget AS spent, k.label_count + ${LIVE_SLOTS(Prisma.sql`k.id`)} >= k.budget AS full
      FROM campaigns k WHERE k.id = ${campaignId}::uuid`;
    const row = rows[0];
    if (!row || row.spent) return 'spent';
    return row.full ? 'leased' : 'open';
  }

  /**
   * The common lease in ONE autocommit statement (no transaction round trips holding a connection):
   * access, active status, pause, prefetch cap and budget headroom gate it, and `takeSlot` takes a
   * slot. Nothing to correct afterwards: the slot lock makes the lease exact. Returns null when a
   * condition fails (or the caller raced themselves to the same comparison); the caller then
   * diagnoses on the careful path.
   */
  async leaseFast(
    user: { id: string; role: string },
    campaignId: string,
    options: { maxLeases: number; firstOnLeft: boolean; headroom: number },
  ): Promise<(LeaseRow & { lease_seconds: number }) | null> {
    const uid = user.id;
    const gate = Prisma.sql`
      SELECT k.id, k.lease_seconds FROM campaigns k
      WHERE k.id = ${campaignId}::uuid AND k.status = 'active'
        AND (${user.role} = 'admin' OR (${user.role} = 'researcher' AND k.owner_id = ${uid}::uuid)
             OR EXISTS (SELECT 1 FROM campaign_labelers l WHERE l.campaign_id = k.id AND l.user_id = ${uid}::uuid))
        AND NOT ${PAUSED(Prisma.sql`k.id`, uid)}
        -- Far from the budget the campaign-wide live count cannot matter: skip it. Near it, the
        -- careful path counts under the campaign's advisory lock (budgetState).
        AND (k.budget - k.label_count > ${FAR_FROM_BUDGET}
             OR k.budget - k.label_count - ${LIVE_SLOTS(Prisma.sql`k.id`)} > ${options.headroom})
        AND (SELECT count(*) FROM assignments a WHERE a.campaign_id = k.id AND a.labeler_id = ${uid}::uuid
             AND ${LIVE}) < ${options.maxLeases}`;
    const rows = await this.prisma.$queryRaw<(LeaseRow & { lease_seconds: number })[]>(
      takeSlot(gate, campaignId, uid, options.firstOnLeft),
    );
    return rows[0] ?? null;
  }

  /**
   * Leases a gold comparison when it is this labeler's gold turn, in ONE statement; null otherwise
   * (gold off, not their turn, no gold they have not seen, or any condition of `leaseFast` fails).
   *
   * The turn is deterministic and fair: with rate r and n earlier leases of the labeler in the
   * campaign, lease n is gold when ⌊(n+1)·r + φ⌋ > ⌊n·r + φ⌋, φ ∈ [0, 1) a per-labeler phase hashed
   * from the campaign seed (so labelers do not all meet gold at the same step). Over any N leases a
   * labeler gets ⌊N·r⌋ or ⌈N·r⌉ gold turns. The gold comparison is the first, in a per-labeler order
   * hashed from the seed, that the labeler never had a lease of: the (comparison, labeler) unique
   * index makes "never the same gold twice" a constraint, not a hope. Gold comparisons are never
   * open, so the ordinary pool never hands them out.
   */
  async leaseGold(
    user: { id: string; role: string },
    campaignId: string,
    options: { maxLeases: number; firstOnLeft: boolean },
  ): Promise<(LeaseRow & { lease_seconds: number }) | null> {
    const uid = user.id;
    const rows = await this.prisma.$queryRaw<(LeaseRow & { lease_seconds: number })[]>`
      WITH k AS (
        SELECT k.id, k.lease_seconds, k.gold_rate, k.seed FROM campaigns k
        WHERE k.id = ${campaignId}::uuid AND k.status = 'active' AND k.gold_rate > 0 AND k.label_count < k.budget
          AND (${user.role} = 'admin' OR (${user.role} = 'researcher' AND k.owner_id = ${uid}::uuid)
               OR EXISTS (SELECT 1 FROM campaign_labelers l WHERE l.campaign_id = k.id AND l.user_id = ${uid}::uuid))
          AND NOT ${PAUSED(Prisma.sql`k.id`, uid)}),
      mine AS (
        SELECT count(*)::float8 AS n, count(*) FILTER (WHERE ${LIVE}) AS live FROM assignments a
        WHERE a.campaign_id = ${campaignId}::uuid AND a.labeler_id = ${uid}::uuid AND EXISTS (SELECT 1 FROM k)),
      turn AS (
        SELECT 1 FROM k, mine,
          LATERAL (SELECT ('x' || substr(md5(k.seed::text || ':' || ${uid}), 1, 8))::bit(32)::bigint / 4294967296.0
                   AS phase) h
        WHERE mine.live < ${options.maxLeases}
          AND floor((mine.n + 1) * k.gold_rate + h.phase) > floor(mine.n * k.gold_rate + h.phase)),
      pick AS (
        SELECT c.id, c.campaign_id FROM comparisons c, k
        WHERE c.campaign_id = ${campaignId}::uuid AND c.gold_response_id IS NOT NULL AND c.state <> 'open'
          AND EXISTS (SELECT 1 FROM turn)
          AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.comparison_id = c.id AND a.labeler_id = ${uid}::uuid)
        ORDER BY md5(k.seed::text || ':' || ${uid} || ':' || c.id::text)
        LIMIT 1),
      ins AS (
        INSERT INTO assignments (id, campaign_id, comparison_id, labeler_id, state, first_on_left, leased_at, expires_at,
                                 gold)
        SELECT gen_random_uuid(), pick.campaign_id, pick.id, ${uid}::uuid, 'leased', ${options.firstOnLeft}, now(),
               now() + make_interval(secs => k.lease_seconds), true
        FROM pick, k
        ON CONFLICT (comparison_id, labeler_id) DO NOTHING
        RETURNING *)
      SELECT v.*, (SELECT lease_seconds FROM k) AS lease_seconds FROM (${LEASE_VIEW(Prisma.sql`ins`)}) v`;
    return rows[0] ?? null;
  }

  private async heldCount(tx: Tx, scope: Scope): Promise<number> {
    const rows = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM assignments a
      WHERE a.campaign_id = ${scope.campaignId}::uuid AND a.labeler_id = ${scope.userId}::uuid AND ${LIVE}`;
    return rows[0].n;
  }

  /** The caller's oldest live lease not in `holding` (what `next` hands back at the prefetch cap). */
  async oldestLease(scope: Scope, holding: readonly string[] = []): Promise<LeaseRow | null> {
    const rows = await this.prisma.$queryRaw<LeaseRow[]>`
      ${LEASE_VIEW(Prisma.sql`assignments`)}
      WHERE a.campaign_id = ${scope.campaignId}::uuid AND a.labeler_id = ${scope.userId}::uuid AND ${LIVE}
        AND NOT (a.id = ANY(${holding as string[]}::uuid[]))
      ORDER BY a.leased_at LIMIT 1`;
    return rows[0] ?? null;
  }

  /** The caller's counts (labeler-work.repository.ts: the same statement as the home page's). */
  async progress(scope: Scope): Promise<LabelerWorkRow | null> {
    const rows = await this.prisma.$queryRaw<LabelerWorkRow[]>(labelerWorkQuery(scope.campaignId, scope.userId));
    return rows[0] ?? null;
  }
}
