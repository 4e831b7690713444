/**
 * Which labelers to flag, and why. A labeler is flagged only when the posterior is confident: the
 * whole 95 % interval must sit on the wrong side of a threshold, so a newcomer with a few unlucky
 * answers (whose interval still reaches the honest prior) is never flagged.
 */
import type { BinomialInterval } from './beta-distribution';
import type { LabelerReliability } from './crowd-reports';
import type { Estimate } from './labeler-confusion';

export interface FlagThresholds {
  /**
   * Flag when the accuracy's upper 95 % bound is below this (default 0.8). With 60 judgments the
   * bound sits ~0.13 above the estimate, so a lower threshold (e.g. 0.65) catches a coin-flipper only
   * when it happens to score ≤ 0.52; 0.8 catches ~90–100 % of them by 60 judgments while an honest
   * labeler (0.85–0.9 in the crowds) would need to score ~0.67 to be flagged.
   */
  readonly minAccuracy?: number;
  /** Flag when the inverted share's lower 95 % bound is above this (default 0.5). */
  readonly maxInverted?: number;
  /** Flag when the random share's lower 95 % bound is above this (default 0.5). */
  readonly maxRandom?: number;
  /** Flag when |position bias| is above this over the whole 95 % interval (default 0.2: P(left) ≥ 0.7). */
  readonly maxPositionBias?: number;
}

export type FlagReasonKind = 'low-accuracy' | 'inverted' | 'random' | 'position-bias';

export interface FlagReason {
  readonly kind: FlagReasonKind;
  /** The point estimate of the quantity. */
  readonly estimate: number;
  /** The interval end that crossed the threshold (for position bias: the lower bound of |bias|). */
  readonly bound: number;
  readonly threshold: number;
}

export interface FlagEvidence {
  readonly judgments: number;
  readonly directional: number;
  /** Gold questions answered wrongly (directional answers only); null without gold. */
  readonly goldMisses: number | null;
  readonly gold: BinomialInterval | null;
  readonly agreementWithConsensus: BinomialInterval | null;
  readonly agreementWithModel: BinomialInterval | null;
  readonly accuracy: Estimate;
  readonly positionBias: Estimate;
  /** Raw share of directional answers that said left. */
  readonly saidLeft: number;
}

export interface LabelerFlag {
  readonly labeler: string;
  readonly flagged: boolean;
  readonly reasons: FlagReason[];
  readonly evidence: FlagEvidence;
}

export const DEFAULT_FLAG_THRESHOLDS: Required<FlagThresholds> = {
  minAccuracy: 0.8,
  maxInverted: 0.5,
  maxRandom: 0.5,
  maxPositionBias: 0.2,
};

/** The smallest |x| over an interval [low, high] (0 when it straddles zero). */
export function smallestMagnitude({ low, high }: Estimate): number {
  if (low > 0) return low;
  if (high < 0) return -high;
  return 0;
}

export function flagLabeler(labeler: LabelerReliability, thresholds: FlagThresholds = {}): LabelerFlag {
  const t = { ...DEFAULT_FLAG_THRESHOLDS, ...thresholds };
  const reasons: FlagReason[] = [];
  if (labeler.accuracy.high < t.minAccuracy) {
    reasons.push({
      kind: 'low-accuracy',
      estimate: labeler.accuracy.estimate,
      bound: labeler.accuracy.high,
      threshold: t.minAccuracy,
    });
  }
  if (labeler.inverted.low > t.maxInverted) {
    reasons.push({
      kind: 'inverted',
      estimate: labeler.inverted.estimate,
      bound: labeler.inverted.low,
      threshold: t.maxInverted,
    });
  }
  if (labeler.random.low > t.maxRandom) {
    reasons.push({
      kind: 'random',
      estimate: labeler.random.estimate,
      bound: labeler.random.low,
      threshold: t.maxRandom,
    });
  }
  const bias = smallestMagnitude(labeler.positionBias);
  if (bias > t.maxPositionBias) {
    reasons.push({
      kind: 'position-bias',
      estimate: labeler.positionBias.estimate,
      bound: bias,
      threshold: t.maxPositionBias,
    });
  }
  return {
    labeler: labeler.labeler,
    flagged: reasons.length > 0,
    reasons,
    evidence: {
      judgments: labeler.judgments,
      directional: labeler.directional,
      goldMisses: labeler.gold ? labeler.gold.trials - labeler.gold.successes : null,
      gold: labeler.gold,
      agreementWithConsensus: labeler.agreementWithConsensus,
      agreementWithModel: labeler.agreementWithModel,
      accuracy: labeler.accuracy,
      positionBias: labeler.positionBias,
      saidLeft: labeler.saidLeft,
    },
  };
}

export function flagLabelers(labelers: readonly LabelerReliability[], thresholds: FlagThresholds = {}): LabelerFlag[] {
  return labelers.map((l) => flagLabeler(l, thresholds));
}
