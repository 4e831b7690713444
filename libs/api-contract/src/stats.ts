/**
 * GET /campaigns/:id/stats (the researcher dashboard's numbers) and GET /catalog (the names and
 * one-line explanations the console's forms offer). Label outcomes are compared in the comparison's
 * own order (first/second), never in screen order: sides are randomised per labeler.
 */
import { z } from 'zod';

export const STATS_BUCKETS = ['hour', 'day'] as const;
export type StatsBucket = (typeof STATS_BUCKETS)[number];

export const statsQuerySchema = z.object({
  /** Width of the labels-over-time buckets; default: hour while the labels span under 3 days, else day. */
  bucket: z.enum(STATS_BUCKETS).optional(),
});
export type StatsQuery = z.infer<typeof statsQuerySchema>;

/** One bucket of the labels-over-time series (UTC, empty buckets included between first and last). */
export interface LabelRatePoint {
  /** ISO time of the bucket's start (UTC hour or UTC midnight). */
  readonly start: string;
  /** Judgments (A, B, tie, both bad) stored in the bucket. */
  readonly labels: number;
  readonly skips: number;
  /** Judgments stored up to the end of the bucket. */
  readonly cumulative: number;
}

export interface LabelerStats {
  readonly labelerId: string;
  readonly name: string;
  readonly email: string;
  /** Judgments (A, B, tie, both bad), not skips. */
  readonly labels: number;
  /** Judgments stored since UTC midnight. */
  readonly labelsToday: number;
  readonly skips: number;
  readonly ties: number;
  readonly bothBad: number;
  /** A or B judgments. */
  readonly decisive: number;
  /** Share of decisive judgments that picked the left response (A); null with none. 0.5 is unbiased. */
  readonly leftRate: number | null;
  /** (left − n/2) / √(n/4): how many standard deviations the left rate is from a fair coin. */
  readonly leftBiasZ: number | null;
  /** Median and 90th percentile (interpolated) of the judgments' timeTakenMs; skips not included. */
  readonly medianTimeMs: number | null;
  readonly p90TimeMs: number | null;
  /** Share of this labeler's pairs with other labelers' judgments of the same comparison that agree. */
  readonly agreement: number | null;
  /** The newest label of any kind (skips included). */
  readonly lastLabelAt: string | null;
}

export interface AgreementStats {
  /** Comparisons judged (not skipped) by two or more labelers. */
  readonly comparisons: number;
  /** Pairs of judgments of the same comparison by different labelers. */
  readonly pairs: number;
  readonly agreeingPairs: number;
  /** agreeingPairs / pairs over the outcomes first, second, tie, both bad; null without pairs. */
  readonly rate: number | null;
  /** Chance-corrected (Fleiss-style, from the pooled outcome shares); null without pairs or when chance is 1. */
  readonly kappa: number | null;
}

export interface CampaignStats {
  readonly campaignId: string;
  readonly generatedAt: string;
  /** The bucket width used (the query's, or the default). */
  readonly bucket: StatsBucket;
  /** used: judgments stored (the campaign's labelCount); total: its budget. */
  readonly budget: { readonly used: number; readonly total: number };
  readonly labelsOverTime: readonly LabelRatePoint[];
  /** Every assigned labeler and anyone who labeled, most judgments first. */
  readonly labelers: readonly LabelerStats[];
  readonly agreement: AgreementStats;
  /** Leases live now (leased and unexpired). */
  readonly liveLeases: number;
}

export interface StrategyInfo {
  readonly name: string;
  /** One line for humans (describeStrategy). */
  readonly description: string;
  /** The reward-model family the strategy uses under model 'auto'. */
  readonly defaultModel: string;
  readonly compatibleModels: readonly string[];
}

/** GET /catalog: what the console's forms offer. */
export interface CatalogResponse {
  readonly strategies: readonly StrategyInfo[];
  /** Built-in simulator environments. */
  readonly environments: readonly { readonly name: string; readonly description: string }[];
  readonly models: readonly string[];
  readonly exportFormats: readonly string[];
}
