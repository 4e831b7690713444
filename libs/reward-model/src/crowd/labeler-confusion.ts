/**
 * One labeler's confusion model and what it says about their behaviour (docs/algorithms.md §12,
 * crowd reliability).
 *
 * Parameterisation. A judgment is read in *shown-side* terms, so position bias is a covariate:
 *   a = P(says left | the response shown on the left is truly better)
 *   b = P(says left | the response shown on the right is truly better)
 * (Dawid & Skene's confusion matrix for two classes, with the classes defined by screen side.)
 * Every behaviour the crowd shows is a point of the square [0, 1]²:
 *   honest with accuracy η → (η, 1 − η)      inverted → (1 − η, η)      random → (½, ½)
 *   always left → (1, 1)                       always right → (0, 0)
 * and any (a, b) has one canonical mixture of these — the one that never mixes honest with inverted
 * nor left with right, i.e. explains the most with "random":
 *   honest  = max(0, a − b)              inverted     = max(0, b − a)
 *   left    = max(0, a + b − 1)          right        = max(0, 1 − a − b)
 *   random  = 1 − max(|2a − 1|, |2b − 1|)   (the shares sum to 1 and are ≥ 0 on the whole square)
 * Only (a, b) is identifiable from labels (an honest/inverted 50:50 mix answers exactly like a coin),
 * which is why the shares are derived rather than fitted. BT noise of an honest labeler shows up as a
 * random share (accuracy 0.88 = 0.76 honest + 0.24 random).
 *
 * Prior. a ~ Beta(1 + sμ, 1 + s(1 − μ)), b ~ Beta(1 + s(1 − μ), 1 + sμ): modes at μ and 1 − μ, an honest
 * labeler of accuracy μ, worth s pseudo-judgments per side. The M-step is the posterior mode with the
 * E-step's soft counts; intervals treat the soft counts as data (Beta posteriors) and push both Betas
 * through the derived quantities on a grid of equal-probability points (see `confusionIntervals`).
 */
import { betaQuantile } from './beta-distribution';

/** Soft counts of one labeler's directional answers, split by which side is (posterior-)truly better. */
export interface ConfusionCounts {
  /** Σ P(left truly better) over the labeler's directional judgments. */
  readonly leftBetter: number;
  /** Σ P(left truly better) over the judgments where they said left. */
  readonly saidLeftWhenLeftBetter: number;
  /** Σ P(right truly better) over the labeler's directional judgments. */
  readonly rightBetter: number;
  /** Σ P(right truly better) over the judgments where they said left. */
  readonly saidLeftWhenRightBetter: number;
}

export const EMPTY_COUNTS: ConfusionCounts = {
  leftBetter: 0,
  saidLeftWhenLeftBetter: 0,
  rightBetter: 0,
  saidLeftWhenRightBetter: 0,
};

export interface LabelerPrior {
  /** μ: the accuracy a new labeler is presumed to have (default 0.8). */
  readonly priorAccuracy: number;
  /** s: how many judgments per truth side the prior is worth (default 4). */
  readonly priorStrength: number;
}

export interface Confusion {
  /** P(says left | left truly better). */
  readonly a: number;
  /** P(says left | right truly better). */
  readonly b: number;
}

export function validatePrior(prior: LabelerPrior): void {
  const { priorAccuracy: mu, priorStrength: s } = prior;
  if (!(mu > 0 && mu < 1)) throw new RangeError(`priorAccuracy must be in (0, 1), got ${mu}`);
  if (!(s > 0) || !Number.isFinite(s)) throw new RangeError(`priorStrength must be positive and finite, got ${s}`);
}

/** Beta posterior shapes of a and b given soft counts. */
export function confusionPosterior(
  counts: ConfusionCounts,
  prior: LabelerPrior,
): { a: [number, number]; b: [number, number] } {
  const { priorAccuracy: mu, priorStrength: s } = prior;
  return {
    a: [
      1 + s * mu + counts.saidLeftWhenLeftBetter,
      1 + s * (1 - mu) + counts.leftBetter - counts.saidLeftWhenLeftBetter,
    ],
    b: [
      1 + s * (1 - mu) + counts.saidLeftWhenRightBetter,
      1 + s * mu + counts.rightBetter - counts.saidLeftWhenRightBetter,
    ],
  };
}

/** The M-step: the posterior mode of (a, b). Strictly inside (0, 1) because s·μ > 0 and s·(1 − μ) > 0. */
export function confusionMode(counts: ConfusionCounts, prior: LabelerPrior): Confusion {
  const { a, b } = confusionPosterior(counts, prior);
  return { a: (a[0] - 1) / (a[0] + a[1] - 2), b: (b[0] - 1) / (b[0] + b[1] - 2) };
}

/** log prior density of (a, b), up to a constant (the part the EM objective needs). */
export function confusionLogPrior({ a, b }: Confusion, prior: LabelerPrior): number {
  const { priorAccuracy: mu, priorStrength: s } = prior;
  return s * mu * (Math.log(a) + Math.log1p(-b)) + s * (1 - mu) * (Math.log1p(-a) + Math.log(b));
}

export interface BehaviourShares {
  readonly honest: number;
  readonly inverted: number;
  readonly random: number;
  readonly alwaysLeft: number;
  readonly alwaysRight: number;
}

export function behaviourShares({ a, b }: Confusion): BehaviourShares {
  return {
    honest: Math.max(0, a - b),
    inverted: Math.max(0, b - a),
    random: 1 - Math.max(Math.abs(2 * a - 1), Math.abs(2 * b - 1)),
    alwaysLeft: Math.max(0, a + b - 1),
    alwaysRight: Math.max(0, 1 - a - b),
  };
}

/**
 * P(agrees with the latent truth | the answer was not position-driven) = (honest + random/2)/(1 − position).
 * A purely positional labeler (no answer left to judge) gets ½.
 */
export function accuracyExcludingPosition(confusion: Confusion): number {
  const s = behaviourShares(confusion);
  const free = s.honest + s.inverted + s.random;
  return free > 1e-12 ? (s.honest + 0.5 * s.random) / free : 0.5;
}

/** P(says left) − ½ when both sides are equally often the better one: (a + b)/2 − ½. */
export function positionBias({ a, b }: Confusion): number {
  return 0.5 * (a + b) - 0.5;
}

/** A point estimate (at the posterior mode) with an equal-tailed 95 % posterior interval. */
export interface Estimate {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

export interface ConfusionSummary {
  readonly a: Estimate;
  readonly b: Estimate;
  readonly accuracy: Estimate;
  readonly inverted: Estimate;
  readonly random: Estimate;
  readonly positionBias: Estimate;
}

/** The 2.5 % and 97.5 % points of equally weighted values (sorted in place). */
function equalTailed(values: Float64Array): [number, number] {
  values.sort();
  const n = values.length;
  const at = (q: number) => values[Math.min(n - 1, Math.max(0, Math.floor(q * n)))];
  return [at(0.025), at(0.975)];
}

/**
 * Point estimates at the mode and 95 % intervals for a, b and the derived quantities. a and b are
 * independent Beta posteriors (given the soft counts); each is replaced by `grid` points at its
 * (i + ½)/grid quantiles, and a derived quantity's interval is read off its grid² equally weighted
 * values — a deterministic stand-in for Monte Carlo that handles the kinks of max/abs exactly.
 */
export function confusionIntervals(counts: ConfusionCounts, prior: LabelerPrior, grid = 100): ConfusionSummary {
  const posterior = confusionPosterior(counts, prior);
  const mode = confusionMode(counts, prior);
  const as = new Float64Array(grid);
  const bs = new Float64Array(grid);
  for (let i = 0; i < grid; i++) {
    const q = (i + 0.5) / grid;
    as[i] = betaQuantile(q, posterior.a[0], posterior.a[1]);
    bs[i] = betaQuantile(q, posterior.b[0], posterior.b[1]);
  }
  const n = grid * grid;
  const accuracy = new Float64Array(n);
  const inverted = new Float64Array(n);
  const random = new Float64Array(n);
  const bias = new Float64Array(n);
  for (let i = 0; i < grid; i++) {
    for (let j = 0; j < grid; j++) {
      const c = { a: as[i], b: bs[j] };
      const k = i * grid + j;
      const shares = behaviourShares(c);
      accuracy[k] = accuracyExcludingPosition(c);
      inverted[k] = shares.inverted;
      random[k] = shares.random;
      bias[k] = positionBias(c);
    }
  }
  const interval = (values: Float64Array, estimate: number): Estimate => {
    const [low, high] = equalTailed(values);
    return { estimate, low, high };
  };
  const shares = behaviourShares(mode);
  return {
    a: { estimate: mode.a, low: betaQuantile(0.025, ...posterior.a), high: betaQuantile(0.975, ...posterior.a) },
    b: { estimate: mode.b, low: betaQuantile(0.025, ...posterior.b), high: betaQuantile(0.975, ...posterior.b) },
    accuracy: interval(accuracy, accuracyExcludingPosition(mode)),
    inverted: interval(inverted, shares.inverted),
    random: interval(random, shares.random),
    positionBias: interval(bias, positionBias(mode)),
  };
}
