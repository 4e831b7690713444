/**
 * Bradley–Terry ratings of a handful of items (the source models of a campaign's responses) from
 * pairwise outcome counts: P(i beats j) = σ(θᵢ − θⱼ). Fitted by Newton's method on the log
 * posterior with a Gaussian ridge prior θ ~ N(0, I/λ); intervals from the Laplace approximation
 * (the inverse Hessian at the mode).
 *
 * Why a ridge: a model that won every one of its comparisons has an infinite maximum-likelihood
 * rating; the prior keeps it finite (with a wide interval) instead of failing the whole
 * leaderboard. Why no separate normalisation: every pair's gradient adds +g to one item and −g to
 * the other, so at the mode λ·Σθ = 0 — the ratings are centred (mean 0) by construction. With
 * λ = 0 (pure maximum likelihood, for reference checks) the Newton step and the covariance are taken
 * on the sum-zero subspace instead.
 *
 * A tie counts as half a win for each side (outcome ½), the convention of the labels table.
 */
import { cholesky, choleskyInverse, choleskySolve, sigmoid, zeros } from '@borda/numeric';

/** Outcomes between items `first` and `second`: `weight` trials, `firstScore` of them won by `first` (ties ½). */
export interface PairOutcomeCount {
  readonly first: number;
  readonly second: number;
  /** Total (possibly fractional, e.g. reliability-weighted) number of judgments. */
  readonly weight: number;
  /** Σ outcome over those judgments: 1 a win of `first`, 0 a loss, ½ a tie. */
  readonly firstScore: number;
}

export interface BradleyTerryRatingOptions {
  /** Prior precision λ of each rating (default 0.1: prior sd ≈ 3.2 on the log-odds scale). 0 = maximum likelihood. */
  readonly ridge?: number;
  readonly maxIterations?: number;
  /** Stop when the largest Newton step is below this (default 1e-10). */
  readonly tolerance?: number;
}

export interface BradleyTerryRatings {
  /** Log-odds ratings, mean 0: σ(θᵢ − θⱼ) is the fitted P(i beats j). */
  readonly ratings: number[];
  /** Laplace standard error of each rating. */
  readonly standardErrors: number[];
  /** 95 % Laplace interval of each rating: θᵢ ∓ 1.96·seᵢ. */
  readonly lower: number[];
  readonly upper: number[];
  /** Laplace posterior covariance (row-major K×K). */
  readonly covariance: number[][];
  readonly iterations: number;
  readonly converged: boolean;
}

/** z of a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/** Fits the ratings of `items` items from pair outcome counts (pairs with weight 0 are ignored). */
export function fitBradleyTerryRatings(
  items: number,
  pairs: readonly PairOutcomeCount[],
  options: BradleyTerryRatingOptions = {},
): BradleyTerryRatings {
  const ridge = options.ridge ?? 0.1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  if (!(ridge >= 0) || !Number.isFinite(ridge)) throw new RangeError(`ridge must be a finite number ≥ 0, got ${ridge}`);
  for (const p of pairs) {
    const valid =
      Number.isInteger(p.first) &&
      Number.isInteger(p.second) &&
      p.first >= 0 &&
      p.second >= 0 &&
      p.first < items &&
      p.second < items &&
      p.first !== p.second &&
      p.weight >= 0 &&
      p.firstScore >= 0 &&
      p.firstScore <= p.weight + 1e-9;
    if (!valid) throw new RangeError(`invalid pair ${JSON.stringify(p)} for ${items} items`);
  }
  if (items === 0) {
    return { ratings: [], standardErrors: [], lower: [], upper: [], covariance: [], iterations: 0, converged: true };
  }
  const theta = new Float64Array(items);
  const gauge = ridge === 0 ? 1 / items : 0;

  const logPosterior = (t: Float64Array): number => {
    let s = 0;
    for (const p of pairs) {
      const d = t[p.first] - t[p.second];
      // score·log σ(d) + (w − score)·log σ(−d), written stably.
      s += p.firstScore * -softplus(-d) + (p.weight - p.firstScore) * -softplus(d);
    }
    for (let i = 0; i < items; i++) s -= 0.5 * ridge * t[i] * t[i];
    return s;
  };

  const hessianAt = (t: Float64Array) => {
    const h = zeros(items, items);
    const g = new Float64Array(items);
    for (let i = 0; i < items; i++) {
      g[i] = -ridge * t[i];
      h.data[i * items + i] = ridge;
    }
    for (const p of pairs) {
      if (p.weight === 0) continue;
      const prob = sigmoid(t[p.first] - t[p.second]);
      const r = p.firstScore - p.weight * prob;
      g[p.first] += r;
      g[p.second] -= r;
      const c = p.weight * prob * (1 - prob);
      h.data[p.first * items + p.first] += c;
      h.data[p.second * items + p.second] += c;
      h.data[p.first * items + p.second] -= c;
      h.data[p.second * items + p.first] -= c;
    }
    // λ = 0: the likelihood is flat along 1; adding 11ᵀ/K fixes that direction (the gradient has no
    // component along it, so the step stays on the sum-zero subspace).
    if (gauge > 0) for (let k = 0; k < items * items; k++) h.data[k] += gauge;
    return { h, g };
  };

  let iterations = 0;
  let converged = false;
  let current = logPosterior(theta);
  while (iterations < maxIterations) {
    iterations++;
    const { h, g } = hessianAt(theta);
    const step = choleskySolve(cholesky(h), g);
    // Damped Newton: the log posterior is concave, so halving the step until it does not decrease converges.
    let scale = 1;
    let next = theta;
    let value = current;
    for (let tries = 0; tries < 40; tries++) {
      const candidate = theta.map((v, i) => v + scale * step[i]);
      const candidateValue = logPosterior(candidate);
      if (candidateValue >= current - 1e-12) {
        next = candidate;
        value = candidateValue;
        break;
      }
      scale /= 2;
    }
    const largest = step.reduce((m, v) => Math.max(m, Math.abs(v * scale)), 0);
    theta.set(next);
    current = value;
    if (largest < tolerance) {
      converged = true;
      break;
    }
  }
  // Float drift: re-centre exactly (the mode is centred in exact arithmetic).
  const mean = theta.reduce((s, v) => s + v, 0) / items;
  for (let i = 0; i < items; i++) theta[i] -= mean;

  const { h } = hessianAt(theta);
  const inverse = choleskyInverse(cholesky(h));
  const covariance = Array.from({ length: items }, (_, i) =>
    Array.from({ length: items }, (_, j) => inverse.data[i * items + j] - gauge),
  );
  const ratings = Array.from(theta);
  const standardErrors = covariance.map((row, i) => Math.sqrt(Math.max(0, row[i])));
  return {
    ratings,
    standardErrors,
    lower: ratings.map((r, i) => r - Z95 * standardErrors[i]),
    upper: ratings.map((r, i) => r + Z95 * standardErrors[i]),
    covariance,
    iterations,
    converged,
  };
}

/** log(1 + eˣ) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
