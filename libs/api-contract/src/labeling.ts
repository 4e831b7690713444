/**
 * Request schemas and response types of the labeling routes (the labeler app's whole API).
 * Sides: A is the response shown on the left, B the one on the right; the server randomises which
 * of the comparison's two responses goes left, per labeler, and never reveals the source model.
 */
import { z } from 'zod';
import { aspectAnswersSchema } from './aspects';
import { rankingResponsesSchema } from './rankings';

export const LABEL_CHOICES = ['A', 'B', 'tie', 'both_bad'] as const;
export type LabelChoice = (typeof LABEL_CHOICES)[number];

const idempotencyKey = z.string().min(1, 'idempotencyKey is required').max(200);
const timeTakenMs = z.int().min(0).max(86_400_000);

export const submitLabelSchema = z
  .strictObject({
    choice: z.enum(LABEL_CHOICES),
    /** 1 slightly, 2 clearly, 3 much better: only with A or B. */
    strength: z.int().min(1).max(3).optional(),
    rationale: z.string().max(10_000).optional(),
    timeTakenMs: timeTakenMs.optional(),
    idempotencyKey,
    /** Answers to the campaign's aspects by key (checked against them by the API; aspects.ts). */
    aspects: aspectAnswersSchema.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.strength !== undefined && body.choice !== 'A' && body.choice !== 'B') {
      ctx.addIssue({ code: 'custom', path: ['strength'], message: 'strength is only allowed with choice A or B' });
    }
  });
export type SubmitLabelRequest = z.infer<typeof submitLabelSchema>;

export const skipSchema = z.strictObject({
  reason: z.string().trim().min(1, 'reason is required').max(500),
  idempotencyKey,
  timeTakenMs: timeTakenMs.optional(),
});
export type SkipRequest = z.infer<typeof skipSchema>;

/**
 * POST /campaigns/:id/next (body optional). `holding`: the lease ids the client already shows,
 * prefetched or still has a judgment on its way for. At the prefetch cap the API hands back the
 * caller's oldest live lease that is not among them (a lease from a closed tab), so a client never
 * receives a lease it already has.
 */
export const nextRequestSchema = z
  .strictObject({ holding: z.array(z.uuid('holding must list lease ids')).max(50).default([]) })
  .default({ holding: [] });
export type NextRequest = z.input<typeof nextRequestSchema>;

export const leasedComparisonSchema = z
  .object({
    /** The assignment (lease) id: heartbeat, submit and skip go to /assignments/:id/... */
    id: z.uuid(),
    comparisonId: z.uuid(),
    expiresAt: z.string(),
    leaseSeconds: z.number().int(),
    prompt: z
      .object({ id: z.uuid(), text: z.string().nullable(), messages: z.array(z.unknown()).nullable() })
      .readonly(),
    left: z.object({ id: z.uuid(), text: z.string() }).readonly(),
    right: z.object({ id: z.uuid(), text: z.string() }).readonly(),
    /** Ranking campaigns: the task's responses to put in order (POST /assignments/:id/rank); absent for a pair. */
    ranking: rankingResponsesSchema.optional(),
  })
  .readonly();
export type LeasedComparison = z.infer<typeof leasedComparisonSchema>;

/**
 * budget_reached: the budget is spent (final); budget_leased: judgments are still missing but live
 * leases of other labelers (or tabs the caller listed in `holding`) cover the rest of the budget, so
 * ask again: they are judged or expire; no_comparisons: nothing open for this labeler now (ask again
 * later); lease_cap: the caller holds as many leases as allowed and listed them all in `holding`.
 */
export const NO_ASSIGNMENT_REASONS = ['budget_reached', 'budget_leased', 'no_comparisons', 'lease_cap'] as const;
export type NoAssignmentReason = (typeof NO_ASSIGNMENT_REASONS)[number];

export const nextResponseSchema = z.union([
  z.object({ assignment: leasedComparisonSchema }).readonly(),
  z.object({ assignment: z.null(), reason: z.enum(NO_ASSIGNMENT_REASONS) }).readonly(),
]);
export type NextResponse = z.infer<typeof nextResponseSchema>;

export interface HeartbeatResponse {
  readonly expiresAt: string;
}

export const labelViewSchema = z
  .object({
    id: z.uuid(),
    assignmentId: z.uuid(),
    comparisonId: z.uuid(),
    choice: z.enum([...LABEL_CHOICES, 'skip']),
    strength: z.number().int().nullable(),
    rationale: z.string().nullable(),
    skipReason: z.string().nullable(),
    timeTakenMs: z.number().int().nullable(),
    /** Answers to the campaign's aspects (absent when none were given). */
    aspects: aspectAnswersSchema.optional(),
    leftResponseId: z.uuid(),
    rightResponseId: z.uuid(),
    createdAt: z.string(),
  })
  .readonly();
export type LabelView = z.infer<typeof labelViewSchema>;

export const submitResponseSchema = z
  .object({
    label: labelViewSchema,
    /** True when this request repeated one already stored (same idempotency key, or the same choice). */
    duplicate: z.boolean(),
    /** True when this judgment used up the campaign's budget (the campaign is now completed). */
    campaignCompleted: z.boolean(),
    /** Until when the labeler may still change this judgment (POST /assignments/:id/revise); absent: never. */
    undoUntil: z.string().optional(),
    /**
     * Only in campaigns with gold feedback on, after a missed check question: the side that was
     * expected, in the sides this labeler saw.
     */
    goldFeedback: z
      .object({ correct: z.literal(false), expected: z.enum(['A', 'B']) })
      .readonly()
      .optional(),
  })
  .readonly();
export type SubmitResponse = z.infer<typeof submitResponseSchema>;

/**
 * POST /assignments/:id/revise: the labeler changes their own judgment within the campaign's undo
 * window (same assignment, new choice). Idempotent like submit: a repeat with the same key answers
 * the stored revision. Skips cannot be revised, nor can a judgment become a skip.
 */
export const reviseLabelSchema = z
  .strictObject({
    choice: z.enum(LABEL_CHOICES),
    strength: z.int().min(1).max(3).optional(),
    idempotencyKey,
  })
  .superRefine((body, ctx) => {
    if (body.strength !== undefined && body.choice !== 'A' && body.choice !== 'B') {
      ctx.addIssue({ code: 'custom', path: ['strength'], message: 'strength is only allowed with choice A or B' });
    }
  });
export type ReviseLabelRequest = z.infer<typeof reviseLabelSchema>;

export interface ReviseResponse {
  /** The label as stored now. */
  readonly label: LabelView;
  readonly revision: {
    readonly id: string;
    readonly oldChoice: LabelChoice;
    readonly newChoice: LabelChoice;
    readonly createdAt: string;
  };
  /** True when this request repeated a revision already stored (same idempotency key). */
  readonly duplicate: boolean;
}

/**
 * Why a labeler can take no comparison now, in the order they are checked; null while they can.
 * The paused and closed reasons can come with `remaining` above 0 (work that waits for a resume).
 * campaign_paused: the campaign is paused; budget_reached: every judgment the budget allows is in;
 * campaign_closed: the campaign is draft, completed or archived; labeler_paused: a researcher
 * paused this labeler's work; budget_leased: live leases cover the rest of the budget (they are judged or
 * lapse); others_leased: the open comparisons this labeler has not judged are leased to other
 * labelers now (one comes back if its lease lapses); others_judging: this labeler judged every open
 * comparison and the rest of them wait for other labelers (a new selection comes once most of the
 * batch is complete); selecting: nothing is open, the next comparisons are being selected.
 */
export type LabelerWaitReason =
  | 'campaign_paused'
  | 'budget_reached'
  | 'campaign_closed'
  | 'labeler_paused'
  | 'budget_leased'
  | 'others_leased'
  | 'others_judging'
  | 'selecting';

/**
 * A labeler's counts in a campaign, defined once and served by both GET /campaigns (the home page)
 * and GET /campaigns/:id/progress (the comparison page).
 */
export interface LabelerCounts {
  /**
   * Open comparisons the caller could be given now: not judged, skipped or held by them, with a
   * slot free of other labelers' live leases, and no more than the budget has room for (live leases
   * count against it). While the campaign or labeler is paused: what waits for the resume.
   */
  readonly remaining: number;
  /** Live leases the caller holds (the comparison on their screen and the prefetched one). */
  readonly leased: number;
  /** Why the caller can take no comparison now (see LabelerWaitReason); null while they can. */
  readonly waitReason: LabelerWaitReason | null;
}

export interface LabelerProgress extends LabelerCounts {
  readonly campaignId: string;
  /** Judgments (skips not included) the caller stored today (UTC day) and in total. */
  readonly doneToday: number;
  readonly doneTotal: number;
  /** Skips, counted apart from the judgments. */
  readonly skippedTotal: number;
  readonly budget: { readonly used: number; readonly total: number };
}
