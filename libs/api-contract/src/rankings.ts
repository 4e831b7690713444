/**
 * Ranking campaigns (issue 14 item 3): a campaign with judgmentMode 'ranking' serves tasks of
 * rankSize responses of one prompt (the lease's `ranking`), which the labeler puts in order, best
 * first. The API stores one ranking and its k(k-1)/2 implied pairwise judgments for the fit.
 */
import { z } from 'zod';

export const JUDGMENT_MODES = ['pairwise', 'ranking'] as const;
export type JudgmentMode = (typeof JUDGMENT_MODES)[number];
export const MIN_RANK_SIZE = 3;
export const MAX_RANK_SIZE = 8;

/** The responses of a ranking lease, in the order shown (a per-lease shuffle, never the selection order). */
export const rankingResponsesSchema = z.array(z.object({ id: z.uuid(), text: z.string() }).readonly()).readonly();

/** POST /assignments/:id/rank: every response of the task exactly once, best first (ties not allowed). */
export const rankSchema = z.strictObject({
  order: z.array(z.uuid()).min(2).max(MAX_RANK_SIZE),
  idempotencyKey: z.string().min(1, 'idempotencyKey is required').max(200),
  timeTakenMs: z.int().min(0).max(86_400_000).optional(),
});
export type RankRequest = z.infer<typeof rankSchema>;

export interface RankingView {
  readonly id: string;
  readonly assignmentId: string;
  readonly comparisonId: string;
  readonly order: readonly string[];
  readonly createdAt: string;
}

/** 201 with the stored ranking; a repeat (same key, or the same order again) answers 200 with `duplicate: true`. */
export interface RankResponse {
  readonly ranking: RankingView;
  /** Implied pairwise judgments stored with it: k(k-1)/2. */
  readonly impliedPairs: number;
  readonly duplicate: boolean;
  readonly campaignCompleted: boolean;
}

/** One line of GET /campaigns/:id/exports/rankings (JSONL). */
export interface RankingExportLine {
  readonly ranking_id: string;
  readonly prompt: string | null;
  readonly prompt_id: string;
  /** Best first. */
  readonly responses: readonly { readonly id: string; readonly text: string }[];
  readonly labeler_id: string;
  readonly created_at: string;
}

/** The body of POST /assignments/:id/rank (RankResponse), for the OpenAPI document and clients. */
export const rankResponseSchema = z.object({
  ranking: z.object({
    id: z.uuid(),
    assignmentId: z.uuid(),
    comparisonId: z.uuid(),
    order: z.array(z.uuid()),
    createdAt: z.string(),
  }),
  impliedPairs: z.number().int(),
  duplicate: z.boolean(),
  campaignCompleted: z.boolean(),
});
