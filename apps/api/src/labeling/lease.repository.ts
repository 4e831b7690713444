/**
 * Leasing in raw SQL. Invariant that makes it race-free: a comparison's load (labels received +
 * live leases) only grows under its row lock, and is then recounted on a snapshot newer than the
 * lock: either a *new* statement inside the locking transaction (the careful path), or a check
 * after the one-statement lease committed (the fast path: `leaseFast` + `overLeased`). A single
 * statement alone could not: its subqueries keep the snapshot taken before the row lock was granted.
 */
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { CampaignScoped } from '../database';
import { Prisma } from '../generated/prisma/client';
import { type LabelerWorkRow, labelerWorkQuery } from './labeler-work.repository';

export type Tx = Prisma.TransactionClient;
type Scope = CampaignScoped<{ userId: string }>;

/** A lease is live while it is 'leased' and unexpired: only live leases count against a comparison. */
export const LIVE = Prisma.sql`a.state = 'leased' AND a.expires_at > now()`;
/** Live leases that can become budget: gold checks never count against it. */
export const LIVE_BUDGETED = Prisma.sql`a.state = 'leased' AND a.expires_at > now() AND NOT a.gold`;
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
}

const LEASE_VIEW = (from: Prisma.Sql) => Prisma.sql`
  SELECT a.id, a.comparison_id, a.expires_at, a.first_on_left, p.id AS prompt_id, p.text AS prompt_text, p.messages,
         r1.id AS first_id, r1.text AS first_text, r2.id AS second_id, r2.text AS second_text
  FROM ${from} a
  JOIN comparisons c ON c.id = a.comparison_id
  JOIN prompts p ON p.id = c.prompt_id
  JOIN responses r1 ON r1.id = c.first_response_id
  JOIN responses r2 ON r2.id = c.second_response_id`;

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
             (SELECT count(*)::int FROM assignments a WHERE a.campaign_id = c.id AND ${LIVE_BUDGETED}) AS "liveLeases",
             ${PAUSED(Prisma.sql`c.id`, scope.userId)} AS paused
      FROM campaigns c WHERE c.id = ${scope.campaignId}::uuid`;
    return rows[0] ?? null;
  }

  /**
   * Leases one comparison to the caller, or returns 'cap' when they already hold `maxLeases` live
   * leases, or null when nothing is available. Step 1 picks and locks a candidate (SKIP LOCKED, so
   * concurrent callers take different rows); step 2 re-checks it on a fresh snapshot and inserts
   * the lease (or revives the caller's own expired row). A stale candidate is retried.
   */
  lease(
    scope: Scope,
    options: { maxLeases: number; leaseSeconds: number; firstOnLeft: boolean; budgetGuard: boolean },
  ): Promise<LeaseRow | 'cap' | BudgetState | null> {
    const { campaignId, userId } = scope;
    const { maxLeases, leaseSeconds, firstOnLeft } = options;
    return this.prisma.$transaction(async (tx) => {
      if (options.budgetGuard) {
        const budget = await this.budgetState(tx, campaignId);
        if (budget !== 'open') return budget;
      }
      for (let attempt = 0; attempt < 5; attempt++) {
        const picked = await tx.$queryRaw<{ id: string; held: number }[]>`
          WITH held AS (SELECT count(*)::int AS n FROM assignments a
                        WHERE a.campaign_id = ${campaignId}::uuid AND a.labeler_id = ${userId}::uuid AND ${LIVE})
          SELECT c.id, (SELECT n FROM held) AS held FROM comparisons c
          WHERE c.campaign_id = ${campaignId}::uuid AND c.state = 'open' AND (SELECT n FROM held) < ${maxLeases}
            AND c.labels_received + (SELECT count(*) FROM assignments a WHERE a.comparison_id = c.id AND ${LIVE})
                < c.labels_required
            AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.comparison_id = c.id AND a.labeler_id = ${userId}::uuid
                            AND (a.state IN ('submitted', 'skipped') OR (${LIVE})))
          ORDER BY c.position LIMIT 1
          FOR UPDATE OF c SKIP LOCKED`;
        if (picked.length === 0) return (await this.heldCount(tx, scope)) >= maxLeases ? 'cap' : null;
        const rows = await tx.$queryRaw<LeaseRow[]>`
          WITH ins AS (
            INSERT INTO assignments (id, campaign_id, comparison_id, labeler_id, state, first_on_left, leased_at, expires_at)
            SELECT gen_random_uuid(), c.campaign_id, c.id, ${userId}::uuid, 'leased', ${firstOnLeft}, now(),
                   now() + make_interval(secs => ${leaseSeconds})
            FROM comparisons c
            WHERE c.id = ${picked[0].id}::uuid AND c.state = 'open'
              AND c.labels_received + (SELECT count(*) FROM assignments a WHERE a.comparison_id = c.id AND ${LIVE})
                  < c.labels_required
              AND EXISTS (SELECT 1 FROM campaigns k WHERE k.id = c.campaign_id AND k.status = 'active')
            ON CONFLICT (comparison_id, labeler_id) DO UPDATE
              SET state = 'leased', leased_at = now(), expires_at = EXCLUDED.expires_at, finished_at = NULL
              WHERE assignments.state IN ('leased', 'expired') AND assignments.expires_at <= now()
            RETURNING *)
          ${LEASE_VIEW(Prisma.sql`ins`)}`;
        if (rows.length === 1) return rows[0];
      }
      return null;
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
      SELECT k.label_count >= k.budget AS spent,
             k.label_count + (SELECT count(*) FROM assignments a WHERE a.campaign_id = k.id AND ${LIVE_BUDGETED}) >= k.budget
             AS full
      FROM campaigns k WHERE k.id = ${campaignId}::uuid`;
    const row = rows[0];
    if (!row || row.spent) return 'spent';
    return row.full ? 'leased' : 'open';
  }

  /**
   * The common lease in ONE autocommit statement (no transaction round trips holding a connection):
   * access, active status, prefetch cap and budget headroom are conditions of the statement, and
   * the candidate is taken FOR UPDATE SKIP LOCKED and inserted at once. The statement's snapshot
   * may predate a lease another request committed on the same row just before we locked it, so
   * the caller must confirm with `overLeased` (a fresh snapshot) and release on a clash. Returns
   * null when any condition fails; the caller then diagnoses on the careful path.
   */
  async leaseFast(
    user: { id: string; role: string },
    campaignId: string,
    options: { maxLeases: number; firstOnLeft: boolean; headroom: number },
  ): Promise<(LeaseRow & { lease_seconds: number }) | null> {
    const uid = user.id;
    const rows = await this.prisma.$queryRaw<(LeaseRow & { lease_seconds: number })[]>`
      WITH k AS (
        SELECT k.id, k.lease_seconds FROM campaigns k
        WHERE k.id = ${campaignId}::uuid AND k.status = 'active'
          AND (${user.role} = 'admin' OR (${user.role} = 'researcher' AND k.owner_id = ${uid}::uuid)
               OR EXISTS (SELECT 1 FROM campaign_labelers l WHERE l.campaign_id = k.id AND l.user_id = ${uid}::uuid))
          AND NOT ${PAUSED(Prisma.sql`k.id`, uid)}
          -- Far from the budget the campaign-wide live count (a range scan that also walks the index
          -- entries of recently submitted leases until vacuum) cannot matter: skip it.
          AND (k.budget - k.label_count > ${FAR_FROM_BUDGET}
               OR k.budget - k.label_count - (SELECT count(*) FROM assignments a WHERE a.campaign_id = k.id
                                              AND ${LIVE_BUDGETED}) > ${options.headroom})
          AND (SELECT count(*) FROM assignments a WHERE a.campaign_id = k.id AND a.labeler_id = ${uid}::uuid
               AND ${LIVE}) < ${options.maxLeases}),
      pick AS (
        SELECT c.id, c.campaign_id FROM comparisons c
        WHERE c.campaign_id = ${campaignId}::uuid AND c.state = 'open' AND EXISTS (SELECT 1 FROM k)
          AND c.labels_received + (SELECT count(*) FROM assignments a WHERE a.comparison_id = c.id AND ${LIVE})
              < c.labels_required
          AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.comparison_id = c.id AND a.labeler_id = ${uid}::uuid
                          AND (a.state IN ('submitted', 'skipped') OR (${LIVE})))
        ORDER BY c.position LIMIT 1
        FOR UPDATE OF c SKIP LOCKED),
      ins AS (
        INSERT INTO assignments (id, campaign_id, comparison_id, labeler_id, state, first_on_left, leased_at, expires_at)
        SELECT gen_random_uuid(), pick.campaign_id, pick.id, ${uid}::uuid, 'leased', ${options.firstOnLeft}, now(),
               now() + make_interval(secs => k.lease_seconds)
        FROM pick, k
        ON CONFLICT (comparison_id, labeler_id) DO UPDATE
          SET state = 'leased', leased_at = now(), expires_at = EXCLUDED.expires_at, finished_at = NULL
          WHERE assignments.state IN ('leased', 'expired') AND assignments.expires_at <= now()
        RETURNING *)
      SELECT v.*, (SELECT lease_seconds FROM k) AS lease_seconds FROM (${LEASE_VIEW(Prisma.sql`ins`)}) v`;
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

  /**
   * After a fast lease committed: does the comparison now carry more live leases than it needs?
   * Two requests that raced for one slot both committed; the later one always sees the earlier
   * (it could only lock the row after the earlier commit), so at least one of them backs off.
   */
  async overLeased(comparisonId: string): Promise<boolean> {
    const rows = await this.prisma.$queryRaw<{ over: boolean }[]>`
      SELECT c.labels_received + (SELECT count(*) FROM assignments a WHERE a.comparison_id = c.id AND ${LIVE})
             > c.labels_required AS over
      FROM comparisons c WHERE c.id = ${comparisonId}::uuid`;
    return rows[0]?.over === true;
  }

  /** Gives a lease back (it stops counting at once; the labeler may be given the comparison again). */
  async release(assignmentId: string): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE assignments SET state = 'expired', expires_at = now(), finished_at = now() WHERE id = ${assignmentId}::uuid`;
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
