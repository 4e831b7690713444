/**
 * Crowd quality (issue 10): gold comparisons, labeler standing (exclude / restore / pause), the
 * review queue of comparisons whose judgments stay split, and the conflicts labelers can meet.
 * Gold answers name the better response by its id (the comparison's own order is never shown).
 */
import { z } from 'zod';

/**
 * `details.reason` of the 409 CONFLICT answers of the labeling routes, so clients can branch:
 * JUDGMENT_EXISTS: the assignment already has a judgment with a different choice (details.label is
 * the stored one; change it with /revise within the undo window); LABELER_PAUSED: a researcher
 * paused the caller in this campaign; UNDO_WINDOW_CLOSED: the judgment is older than the campaign's
 * undo window; NOT_REVISABLE: a skip, or a label of another labeler's assignment.
 */
export const CROWD_CONFLICTS = ['JUDGMENT_EXISTS', 'LABELER_PAUSED', 'UNDO_WINDOW_CLOSED', 'NOT_REVISABLE'] as const;
export type CrowdConflict = (typeof CROWD_CONFLICTS)[number];

/** Degradations a generated gold comparison can pit a response against (deterministic under the campaign seed). */
export const GOLD_DEGRADATIONS = ['truncate', 'shuffle_sentences', 'scramble_words'] as const;
export type GoldDegradation = (typeof GOLD_DEGRADATIONS)[number];

export const GOLD_SOURCES = ['marked', 'imported', 'generated', 'review'] as const;
export type GoldSource = (typeof GOLD_SOURCES)[number];

/** POST /campaigns/:id/gold: mark an existing (not open) comparison as gold; `answer` is the better response's id. */
export const markGoldSchema = z.strictObject({ comparisonId: z.uuid(), answer: z.uuid() });
export type MarkGoldRequest = z.infer<typeof markGoldSchema>;

/** One line of POST /campaigns/:id/gold/imports (JSONL): ids are the import's external ids. */
export const goldImportLineSchema = z.strictObject({
  promptId: z.string().min(1).max(500),
  responseIds: z.tuple([z.string().min(1).max(500), z.string().min(1).max(500)]),
  answer: z.string().min(1).max(500),
});
export type GoldImportLine = z.infer<typeof goldImportLineSchema>;

/** POST /campaigns/:id/gold/generate: `count` responses against degraded copies of themselves. */
export const generateGoldSchema = z.strictObject({
  count: z.int().min(1).max(1000),
  degradations: z
    .array(z.enum(GOLD_DEGRADATIONS))
    .min(1)
    .default([...GOLD_DEGRADATIONS]),
});
export type GenerateGoldRequest = z.input<typeof generateGoldSchema>;

/** POST /campaigns/:id/crowd/labelers/:labelerId/{exclude,restore,pause,resume}. */
export const labelerActionSchema = z
  .strictObject({
    reason: z.string().trim().max(2000).optional(),
    /** With exclude: also pause the labeler (no new work). */
    pause: z.boolean().optional(),
  })
  .default({});
export type LabelerActionRequest = z.input<typeof labelerActionSchema>;

/** POST /campaigns/:id/review/:comparisonId: the researcher's answer becomes the comparison's gold answer. */
export const adjudicateSchema = z.strictObject({ answer: z.uuid() });
export type AdjudicateRequest = z.infer<typeof adjudicateSchema>;

/** A binomial rate with its Wilson 95 % interval (rate null without trials). */
export interface RateInterval {
  readonly successes: number;
  readonly trials: number;
  readonly rate: number | null;
  readonly low: number;
  readonly high: number;
}

export interface CrowdLabelerView {
  readonly labelerId: string;
  readonly name: string;
  readonly email: string;
  /** Judgments stored (A, B, tie, both_bad), gold-served ones included. */
  readonly judgments: number;
  /** Graded on every gold comparison they judged (a tie or both_bad is a miss), by the first answer given. */
  readonly goldAccuracy: RateInterval;
  readonly labelsExcluded: boolean;
  readonly paused: boolean;
  readonly reason: string | null;
  /** The crowd reliability model's estimates at the newest model version (null before a fit estimated them). */
  readonly reliability?: LabelerReliabilityView | null;
}

/** An estimate with its 95 % interval. */
export interface EstimateView {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

export type LabelerFlagKind = 'low-accuracy' | 'inverted' | 'random' | 'position-bias';

/** Why a labeler is flagged: the estimate, the interval end that crossed the threshold, the threshold. */
export interface LabelerFlagReason {
  readonly kind: LabelerFlagKind;
  readonly estimate: number;
  readonly bound: number;
  readonly threshold: number;
}

/**
 * A labeler as the reliability model (Dawid–Skene EM jointly with the reward model) saw them at one
 * fit: accuracy excluding position-driven answers, the shares that look inverted and random, and their
 * position bias (P(says left) − ½), all with 95 % intervals; agreement with the consensus of the others
 * and with the model; flagged with the reasons.
 */
export interface LabelerReliabilityView {
  readonly modelVersion: number;
  readonly judgments: number;
  readonly directional: number;
  readonly accuracy: EstimateView;
  readonly inverted: EstimateView;
  readonly random: EstimateView;
  readonly positionBias: EstimateView;
  readonly gold: {
    readonly trials: number;
    readonly rate: number | null;
    readonly low: number | null;
    readonly high: number | null;
  };
  readonly agreementWithConsensus: number | null;
  readonly agreementWithModel: number | null;
  readonly flagged: boolean;
  readonly reasons: readonly LabelerFlagReason[];
}

export interface GoldComparisonView {
  readonly comparisonId: string;
  readonly promptId: string;
  readonly promptText: string | null;
  readonly first: { readonly id: string; readonly text: string; readonly synthetic: boolean };
  readonly second: { readonly id: string; readonly text: string; readonly synthetic: boolean };
  readonly answer: string;
  readonly source: GoldSource;
  readonly graded: number;
  readonly correct: number;
}

export interface GoldSummary {
  readonly goldRate: number;
  readonly goldFeedback: boolean;
  readonly comparisons: readonly GoldComparisonView[];
}

export const goldImportResultSchema = z.object({ created: z.int() }).readonly();
export type GoldImportResult = z.infer<typeof goldImportResultSchema>;

export const generateGoldResultSchema = z
  .object({ created: z.int(), comparisonIds: z.array(z.uuid()).readonly() })
  .readonly();
export type GenerateGoldResult = z.infer<typeof generateGoldResultSchema>;

export interface ReviewItem {
  readonly comparisonId: string;
  readonly promptText: string | null;
  readonly promptMessages: unknown[] | null;
  readonly first: { readonly id: string; readonly text: string };
  readonly second: { readonly id: string; readonly text: string };
  readonly votesFirst: number;
  readonly votesSecond: number;
  readonly judgments: number;
  readonly splitExtras: number;
}
