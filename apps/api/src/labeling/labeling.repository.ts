/**
 * Judgments, skips and heartbeats in raw SQL. Locks are taken slot → assignment → comparison →
 * campaign row, in that order everywhere (the lease statement takes its slot and comparison with
 * SKIP LOCKED), and the campaign-completion updates run after the submit commits, so no two of these
 * ever wait on each other in opposite orders.
 */
import type { AspectAnswers } from '@borda/api-contract';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { CampaignScoped } from '../database';
import { Prisma } from '../generated/prisma/client';
import { AVAILABLE_SLOTS, BUFFER_TARGET } from '../jobs/campaign-jobs.repository';
import { LIVE, TX, type Tx } from './lease.repository';

/** The slot row `s` is still held by the lease `a` (taken over by nobody since it expired). */
const HELD_BY_A = Prisma.sql`s.assignment_id = a.id AND s.state = 'leased'`;

/**
 * Whether this judgment should ask JobChain.afterLabel for a fit. Only the judgment that lands on
 * a multiple of retrain_every past the last fit does: with `>=`, every submit between crossing the
 * cadence and the claim would call it (a burst of claims on the hot campaign row under load); the
 * modulo still re-triggers every retrain_every labels should one trigger be lost.
 */
const FIT_DUE = Prisma.sql`label_count > labels_at_last_fit AND (label_count - labels_at_last_fit) % retrain_every = 0`;

/**
 * The comparison side of storing a (non-gold) judgment, as one UPDATE: labels_received, the decisive
 * vote counters and completion, plus the split rule. When this judgment fills the last slot and the
 * decisive votes are an exact split (equal and not zero), one more slot opens instead of completing
 * (at most campaign.split_extra_cap times per comparison), so the comparison goes back to the pool.
 * Every SET expression reads the row version the UPDATE locked (Postgres re-reads the newest version
 * under concurrent submits), so two labelers submitting at once cannot both miss nor both take the
 * extra slot: the rule is correct by construction.
 */
function countJudgment(comparisonId: Prisma.Sql, outcome: Prisma.Sql): Prisma.Sql {
  const first = Prisma.sql`(CASE WHEN ${outcome} = 1 THEN 1 ELSE 0 END)`;
  const second = Prisma.sql`(CASE WHEN ${outcome} = 0 THEN 1 ELSE 0 END)`;
  const fills = Prisma.sql`(c.labels_received + 1 >= c.labels_required)`;
  const split = Prisma.sql`(c.votes_first + ${first} = c.votes_second + ${second} AND c.votes_first + ${first} > 0)`;
  // A split reopens only while another assigned labeler can break it (nobody judges a comparison twice).
  const another = Prisma.sql`(c.labels_required < (SELECT count(*) FROM campaign_labelers l WHERE l.campaign_id = k.id))`;
  const reopen = Prisma.sql`(${fills} AND ${split} AND c.split_extras < k.split_extra_cap AND ${another})`;
  const completes = Prisma.sql`(${fills} AND NOT ${reopen})`;
  return Prisma.sql`
    UPDATE comparisons c SET labels_received = c.labels_received + 1,
      votes_first = c.votes_first + ${first}, votes_second = c.votes_second + ${second},
      split_extras = c.split_extras + CASE WHEN ${reopen} THEN 1 ELSE 0 END,
      labels_required = c.labels_required + CASE WHEN ${reopen} THEN 1 ELSE 0 END,
      state = CASE WHEN ${completes} THEN 'complete'::"ComparisonState" ELSE c.state END,
      completed_at = CASE WHEN ${completes} THEN now() ELSE c.completed_at END
    FROM campaigns k WHERE c.id = ${comparisonId} AND k.id = c.campaign_id`;
}

export interface AssignmentRow {
  id: string;
  campaign_id: string;
  comparison_id: string;
  labeler_id: string;
  state: 'leased' | 'submitted' | 'skipped' | 'expired';
  expires_at: Date;
  first_on_left: boolean;
  live: boolean;
  first_response_id: string;
  second_response_id: string;
  comparison_state: 'open' | 'complete' | 'cancelled';
  campaign_status: string;
  /** The campaign's training aspect (aspects.ts); null: the main choice is the outcome. */
  training_aspect?: string | null;
  /** A gold check: not counted in the budget, label_count nor the comparison's labels. */
  gold: boolean;
  gold_response_id: string | null;
  gold_feedback: boolean;
  undo_window_seconds: number;
  /** Its comparison slot is still held by it (a judgment of it can fill the slot). */
  slot_held: boolean;
}

export interface LabelRow {
  id: string;
  assignment_id: string;
  comparison_id: string;
  choice: 'A' | 'B' | 'tie' | 'both_bad' | 'skip';
  strength: number | null;
  rationale: string | null;
  skip_reason: string | null;
  time_taken_ms: number | null;
  idempotency_key: string;
  left_response_id: string;
  right_response_id: string;
  outcome: number | null;
  gold: boolean;
  /** Answers to the campaign's aspects (null: none given). */
  aspects?: unknown;
  created_at: Date;
}

export interface NewLabel {
  choice: LabelRow['choice'];
  strength: number | null;
  rationale: string | null;
  skipReason: string | null;
  timeTakenMs: number | null;
  idempotencyKey: string;
  leftResponseId: string;
  rightResponseId: string;
  outcome: number | null;
  /** Answers to the campaign's aspects, already checked against them (aspects.ts). */
  aspects?: AspectAnswers | null;
  /**
   * The side the outcome comes from when the campaign trains on an aspect: that aspect's answer
   * ('none': not answered, no outcome). Absent: the main choice, as in campaigns without aspects.
   */
  trainingChoice?: 'A' | 'B' | 'tie' | 'none';
}

export interface StoredCounters {
  label_count: number;
  budget: number;
  fit_due: boolean;
  /** Available slots of open comparisons, counted up to half the buffer target (jobs/buffer-target.ts). */
  available_sample: number;
  buffer_target: number;
  /** What the service needs for gold feedback and the undo deadline. */
  gold_response_id: string | null;
  gold_feedback: boolean;
  undo_window_seconds: number;
}

const COUNTER_KEYS = [
  'label_count',
  'budget',
  'fit_due',
  'available_sample',
  'buffer_target',
  'gold_response_id',
  'gold_feedback',
  'undo_window_seconds',
] as const;

/** Splits a `l.*, counters…` row into the label and its counters. */
function splitRow<T extends LabelRow & StoredCounters>(row: T): { label: LabelRow; counters: StoredCounters } {
  const label = { ...row } as Record<string, unknown>;
  const counters = {} as Record<string, unknown>;
  for (const key of COUNTER_KEYS) {
    counters[key] = row[key];
    delete label[key];
  }
  return { label: label as unknown as LabelRow, counters: counters as unknown as StoredCounters };
}

const aspectsJson = (label: Pick<NewLabel, 'aspects'>) => (label.aspects ? JSON.stringify(label.aspects) : null);

@Injectable()
export class LabelingRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * An assignment with its comparison and campaign, locked inside `tx`: first the slot it holds (the
   * order storeLive and the lease statement lock in), then the assignment and comparison.
   * `slot_held`: the slot is still this assignment's (nobody took it over after the lease expired).
   */
  async lockAssignment(tx: Tx, id: string): Promise<AssignmentRow | null> {
    const held = await tx.$queryRaw<{ slot: number }[]>`
      SELECT s.slot FROM comparison_slots s JOIN assignments a ON a.comparison_id = s.comparison_id AND a.slot = s.slot
      WHERE a.id = ${id}::uuid AND ${HELD_BY_A}
      FOR UPDATE OF s`;
    const rows = await tx.$queryRaw<AssignmentRow[]>`
      SELECT a.id, a.campaign_id, a.comparison_id, a.labeler_id, a.state::text AS state, a.expires_at,
             a.first_on_left, (${LIVE}) AS live, c.first_response_id, c.second_response_id,
             c.state::text AS comparison_state, k.status::text AS campaign_status, a.gold, c.gold_response_id,
             k.gold_feedback, k.undo_window_seconds, k.training_aspect
      FROM assignments a JOIN comparisons c ON c.id = a.comparison_id JOIN campaigns k ON k.id = a.campaign_id
      WHERE a.id = ${id}::uuid
      FOR NO KEY UPDATE OF a, c`;
    return rows[0] ? { ...rows[0], slot_held: held.length === 1 } : null;
  }

  async labelByKey(tx: Tx, labelerId: string, key: string): Promise<LabelRow | null> {
    const rows = await tx.$queryRaw<LabelRow[]>`
      SELECT * FROM labels WHERE labeler_id = ${labelerId}::uuid AND idempotency_key = ${key}`;
    return rows[0] ?? null;
  }

  async labelOfAssignment(tx: Tx, assignmentId: string): Promise<LabelRow | null> {
    const rows = await tx.$queryRaw<LabelRow[]>`SELECT * FROM labels WHERE assignment_id = ${assignmentId}::uuid`;
    return rows[0] ?? null;
  }

  /**
   * Stores a judgment or skip with every counter in one statement: the label, the assignment's
   * state, the comparison's labels_received/state (judgments only) and the campaign's label_count.
   * Returns the counters the caller needs to decide on follow-up jobs without more queries.
   */
  async store(
    tx: Tx,
    a: AssignmentRow,
    label: NewLabel,
  ): Promise<{ label: LabelRow; counters: StoredCounters } | null> {
    const judgment = label.choice !== 'skip' ? 1 : 0;
    // Only ordinary judgments count: skips and gold checks never touch label_count or the budget.
    const counted = judgment === 1 && !a.gold ? 1 : 0;
    // k goes first and everything else hangs on it: a judgment past the budget changes nothing
    // (the UPDATE re-checks label_count < budget on the newest row version, so this is exact).
    const rows = await tx.$queryRaw<(LabelRow & StoredCounters)[]>`
      WITH k AS (
        UPDATE campaigns SET label_count = label_count + ${counted}
        WHERE id = ${a.campaign_id}::uuid AND (${counted} = 0 OR label_count < budget)
        RETURNING label_count, budget, ${counted} = 1 AND ${FIT_DUE} AS fit_due,
                  ${BUFFER_TARGET(Prisma.sql`campaigns`)} AS buffer_target, gold_feedback, undo_window_seconds),
      l AS (
        INSERT INTO labels (id, campaign_id, comparison_id, assignment_id, labeler_id, choice, left_response_id,
                            right_response_id, outcome, strength, rationale, skip_reason, time_taken_ms, idempotency_key,
                            gold, aspects)
        SELECT gen_random_uuid(), ${a.campaign_id}::uuid, ${a.comparison_id}::uuid, ${a.id}::uuid,
               ${a.labeler_id}::uuid, ${label.choice}::"Choice", ${label.leftResponseId}::uuid,
               ${label.rightResponseId}::uuid, ${label.outcome}::float8, ${label.strength}::int, ${label.rationale},
               ${label.skipReason}, ${label.timeTakenMs}::int, ${label.idempotencyKey}, ${a.gold},
               ${aspectsJson(label)}::jsonb
        FROM k
        RETURNING *),
      asg AS (
        UPDATE assignments SET state = ${judgment ? 'submitted' : 'skipped'}::"AssignmentState", finished_at = now()
        WHERE id = ${a.id}::uuid AND EXISTS (SELECT 1 FROM k)),
      cmp AS (${countJudgment(Prisma.sql`${a.comparison_id}::uuid`, Prisma.sql`${label.outcome}::float8`)}
        AND ${counted} = 1 AND EXISTS (SELECT 1 FROM k))
      SELECT l.*, k.label_count, k.budget, k.fit_due, k.buffer_target, k.gold_feedback, k.undo_window_seconds,
        ${a.gold_response_id}::uuid AS gold_response_id,
        ${AVAILABLE_SLOTS(Prisma.sql`${a.campaign_id}::uuid`, Prisma.sql`(k.buffer_target + 1) / 2`)} AS available_sample
      FROM l, k`;
    if (rows.length === 0) return null;
    return splitRow(rows[0]);
  }

  /**
   * The common submit in ONE autocommit statement: a live lease of this labeler, an unused key, a
   * campaign with budget left. Row locks (assignment, comparison, then the campaign row every submit
   * updates) are held only while Postgres runs the statement, never across a round trip to this
   * process, which is what lets submits on one campaign proceed in parallel. Returns null when any
   * condition fails (the caller then takes the diagnosing path in a transaction); a key raced in
   * by another request surfaces as a unique violation and rolls the whole statement back.
   */
  async storeLive(
    labelerId: string,
    assignmentId: string,
    label: Omit<NewLabel, 'leftResponseId' | 'rightResponseId' | 'outcome'>,
  ): Promise<{ label: LabelRow; counters: StoredCounters; campaignId: string } | null> {
    const judgment = label.choice !== 'skip' ? 1 : 0;
    const rows = await this.prisma.$queryRaw<(LabelRow & StoredCounters & { campaign_id: string })[]>`
      WITH held AS (
        -- the slot this lease holds, locked first (see lockAssignment): a judgment fills it (trigger
        -- assignment_slot_follow), so it must still be this assignment's
        SELECT s.slot FROM comparison_slots s JOIN assignments a ON a.comparison_id = s.comparison_id AND a.slot = s.slot
        WHERE a.id = ${assignmentId}::uuid AND a.labeler_id = ${labelerId}::uuid AND ${HELD_BY_A}
        FOR UPDATE OF s),
      a AS (
        SELECT a.id, a.campaign_id, a.comparison_id, a.first_on_left, a.gold, c.first_response_id,
               c.second_response_id, c.gold_response_id,
               -- skips and gold checks never count against the budget
               CASE WHEN ${judgment} = 1 AND NOT a.gold THEN 1 ELSE 0 END AS counted
        FROM assignments a JOIN comparisons c ON c.id = a.comparison_id
        WHERE a.id = ${assignmentId}::uuid AND a.labeler_id = ${labelerId}::uuid AND ${LIVE}
          AND (${judgment} = 0 OR a.gold OR (c.state = 'open' AND EXISTS (SELECT 1 FROM held)))
          AND NOT EXISTS (SELECT 1 FROM labels x WHERE x.labeler_id = ${labelerId}::uuid
                          AND x.idempotency_key = ${label.idempotencyKey})
        -- NO KEY UPDATE (what the UPDATEs below take anyway): it serialises submits on a comparison
        -- but does not conflict with the KEY SHARE a lease holds on it, so leases of its other slots
        -- are not skipped while a judgment is stored.
        FOR NO KEY UPDATE OF a, c),
      k AS (
        UPDATE campaigns SET label_count = label_count + (SELECT counted FROM a)
        WHERE id = (SELECT campaign_id FROM a) AND status IN ('active', 'paused')
          AND ((SELECT counted FROM a) = 0 OR label_count < budget)
        RETURNING label_count, budget, (SELECT counted FROM a) = 1 AND ${FIT_DUE} AS fit_due,
                  ${BUFFER_TARGET(Prisma.sql`campaigns`)} AS buffer_target, gold_feedback, undo_window_seconds),
      l AS (
        INSERT INTO labels (id, campaign_id, comparison_id, assignment_id, labeler_id, choice, left_response_id,
                            right_response_id, outcome, strength, rationale, skip_reason, time_taken_ms, idempotency_key,
                            gold, aspects)
        SELECT gen_random_uuid(), a.campaign_id, a.comparison_id, a.id, ${labelerId}::uuid, ${label.choice}::"Choice",
               CASE WHEN a.first_on_left THEN a.first_response_id ELSE a.second_response_id END,
               CASE WHEN a.first_on_left THEN a.second_response_id ELSE a.first_response_id END,
               -- outcome relative to comparison.first (see outcomeOf in labeling.service.ts)
               CASE ${label.trainingChoice ?? label.choice}::text WHEN 'tie' THEN 0.5
                 WHEN 'A' THEN CASE WHEN a.first_on_left THEN 1 ELSE 0 END
                 WHEN 'B' THEN CASE WHEN a.first_on_left THEN 0 ELSE 1 END END,
               ${label.strength}::int, ${label.rationale}, ${label.skipReason}, ${label.timeTakenMs}::int,
               ${label.idempotencyKey}, a.gold, ${aspectsJson(label)}::jsonb
        FROM a, k
        RETURNING *),
      asg AS (
        UPDATE assignments SET state = ${judgment ? 'submitted' : 'skipped'}::"AssignmentState", finished_at = now()
        WHERE id IN (SELECT assignment_id FROM l)),
      cmp AS (${countJudgment(Prisma.sql`(SELECT comparison_id FROM l)`, Prisma.sql`(SELECT outcome FROM l)`)}
        AND (SELECT counted FROM a) = 1)
      SELECT l.*, k.label_count, k.budget, k.fit_due, k.buffer_target, k.gold_feedback, k.undo_window_seconds,
        a.gold_response_id,
        ${AVAILABLE_SLOTS(Prisma.sql`l.campaign_id`, Prisma.sql`(k.buffer_target + 1) / 2`)} AS available_sample
      FROM l, k, a`;
    if (rows.length === 0) return null;
    const { label: stored, counters } = splitRow(rows[0]);
    return { label: stored, counters, campaignId: rows[0].campaign_id };
  }

  /** The aspects the campaign of this labeler's assignment asks (none found: the submit diagnoses). */
  async aspectsOfAssignment(
    labelerId: string,
    assignmentId: string,
  ): Promise<{ aspects: unknown; training_aspect: string | null } | null> {
    const rows = await this.prisma.$queryRaw<{ aspects: unknown; training_aspect: string | null }[]>`
      SELECT k.aspects, k.training_aspect FROM assignments a JOIN campaigns k ON k.id = a.campaign_id
      WHERE a.id = ${assignmentId}::uuid AND a.labeler_id = ${labelerId}::uuid`;
    return rows[0] ?? null;
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn, TX);
  }

  /** Extends a live lease, or revives an expired one whose slot nobody took (the slot follows by trigger). Call under the lock. */
  async extend(tx: Tx, assignmentId: string): Promise<Date> {
    const rows = await tx.$queryRaw<{ expires_at: Date }[]>`
      UPDATE assignments a SET expires_at = now() + make_interval(secs => k.lease_seconds), state = 'leased'
      FROM campaigns k WHERE a.id = ${assignmentId}::uuid AND k.id = a.campaign_id
      RETURNING a.expires_at`;
    return rows[0].expires_at;
  }

  /**
   * Completes the campaign once its budget is spent: cancels open comparisons and expires leases.
   * Runs after the submit committed (in its own statements) so it never holds the campaign row while
   * waiting on comparison locks that concurrent submits hold in the other order.
   */
  async completeIfBudgetSpent(where: CampaignScoped<object>): Promise<boolean> {
    const done = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE campaigns SET status = 'completed', completed_at = now(), updated_at = now()
      WHERE id = ${where.campaignId}::uuid AND status = 'active' AND label_count >= budget RETURNING id`;
    if (done.length === 0) return false;
    await this.prisma.$executeRaw`
      UPDATE comparisons SET state = 'cancelled' WHERE campaign_id = ${where.campaignId}::uuid AND state = 'open'`;
    await this.prisma.$executeRaw`
      UPDATE assignments SET state = 'expired', finished_at = now()
      WHERE campaign_id = ${where.campaignId}::uuid AND state = 'leased'`;
    return true;
  }
}
