/**
 * GET /campaigns/:id/source-models: the models that wrote the campaign's responses (the import's
 * `model` of each response), compared through the judgments between their responses. (Not to be
 * confused with /campaigns/:id/models, the reward-model versions the campaign fitted.)
 *
 * A judgment counts for a model pair when both responses carry a source model and the two differ;
 * A/B are a win and a loss, a tie is half a win for each (win rate and rating), both-bad and skips
 * are counted apart (`bothBad`) and otherwise ignored. Labels of excluded labelers never count.
 */
import { z } from 'zod';
import type { RateInterval } from './crowd';

/** `meta.<key>` query keys: letters, digits, `_`, `-` and `.` (64 at most). */
export const SOURCE_MODEL_META_KEY = /^meta\.([A-Za-z0-9_.-]{1,64})$/;

/**
 * `?weights=reliability` weighs each judgment by the crowd model's weight of its label (an
 * inverted labeler's judgment reversed; a label no fit has weighed yet counts 1). Any
 * `?meta.<key>=<value>` keeps the prompts whose metadata has that key with that value (compared as
 * text, so `meta.level=2` matches the number 2); several are all required.
 */
export const sourceModelsQuerySchema = z
  .object({ weights: z.enum(['none', 'reliability']).default('none') })
  .catchall(z.string().max(200, 'a metadata filter value is at most 200 characters'))
  .superRefine((q, ctx) => {
    for (const key of Object.keys(q)) {
      if (key !== 'weights' && !SOURCE_MODEL_META_KEY.test(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `unknown query parameter "${key}" (use weights=none|reliability or meta.<key>=<value>)`,
        });
      }
    }
  })
  .transform(({ weights, ...rest }) => ({
    weights,
    meta: Object.fromEntries(
      Object.entries(rest).map(([k, v]) => [SOURCE_MODEL_META_KEY.exec(k)![1], String(v)] as [string, string]),
    ),
  }));
export type SourceModelsQuery = z.output<typeof sourceModelsQuerySchema>;

/** A rating with its 95 % Laplace interval. */
export interface RatingEstimate {
  readonly value: number;
  readonly low: number;
  readonly high: number;
  readonly standardError: number;
}

export interface SourceModelStanding {
  readonly model: string;
  /** Responses in the campaign from this model. */
  readonly responses: number;
  /** Judgments (A/B/tie) against a different model (weighted under weights=reliability). */
  readonly comparisons: number;
  readonly wins: number;
  readonly losses: number;
  readonly ties: number;
  /** both_bad judgments between this model and another (not in the win rate). */
  readonly bothBad: number;
  /** (wins + ½ ties) / comparisons with its Wilson 95 % interval. */
  readonly winRate: RateInterval;
  /** Bradley–Terry log-odds rating, mean 0 over the models: σ(rᵢ − rⱼ) is the fitted P(i beats j). */
  readonly rating: RatingEstimate;
  /** The same rating on the Elo scale (1000 + 400·r / ln 10), as arena leaderboards show it. */
  readonly elo: RatingEstimate;
  /** 1 = highest rating. */
  readonly rank: number;
}

export interface SourceModelLeaderboard {
  readonly campaignId: string;
  readonly weights: 'none' | 'reliability';
  /** The metadata filter applied (empty: all prompts). */
  readonly meta: Readonly<Record<string, string>>;
  /** Judgments between two different models that counted (A/B/tie), and both-bad ones apart. */
  readonly judgments: number;
  readonly bothBad: number;
  /** Responses without a source model (their judgments cannot count). */
  readonly responsesWithoutModel: number;
  /** The prior precision of the ratings (a small ridge keeps an unbeaten model finite). */
  readonly ridge: number;
  /** Best first. */
  readonly models: readonly SourceModelStanding[];
  /** Model names in the order of `models`; `wins[i][j]` = wins of models[i] over models[j] (ties ½ each). */
  readonly headToHead: {
    readonly models: readonly string[];
    readonly wins: readonly (readonly number[])[];
    /** Judgments between the two (symmetric). */
    readonly counts: readonly (readonly number[])[];
  };
}
