/**
 * The MAP-II search shared by the exact GP (gp-hyperparameters.ts) and the preferential GP
 * (preferential-gp-evidence.ts): maximise an objective — log evidence + log hyperprior — over
 * log-parameters θ (log ℓᵢ, log σ², log σₙ², …), each kept in a box.
 *
 * 1. A coarse scan moves all lengthscales together by ×2^k, k = −3..3 (the evidence is often
 *    multi-modal in ℓ and a gradient method stays in the basin it starts in).
 * 2. Sign-based adaptive steps (iRprop−) on the analytic gradient: each coordinate has its own step,
 *    grown ×1.2 while its gradient keeps its sign and halved when it flips. A step is accepted only
 *    if the objective rises (otherwise every step is halved and the step retried), so the result is
 *    never worse than the start. Sign steps are insensitive to the gradient's scale, which varies by
 *    orders of magnitude between lengthscales and variances.
 *
 * Weak log-normal hyperpriors (a Gaussian on each log-parameter) make the objective a log posterior:
 * with a handful of labels the evidence is nearly flat and the prior keeps the parameters near its
 * centre instead of letting them run to a box edge.
 */

/** A Gaussian on one log-parameter: log θ ~ N(log centre, logStd²). */
export interface LogNormalPrior {
  readonly centre: number;
  readonly logStd: number;
}

/** Σ log N(θⱼ; log centreⱼ, logStdⱼ²) over the parameters that have a prior (null: none). */
export function logPriorDensity(theta: readonly number[], priors: readonly (LogNormalPrior | null)[]): number {
  let total = 0;
  for (let j = 0; j < theta.length; j++) {
    const prior = priors[j];
    if (!prior) continue;
    const z = (theta[j] - Math.log(prior.centre)) / prior.logStd;
    total += -0.5 * z * z - Math.log(prior.logStd * Math.sqrt(2 * Math.PI));
  }
  return total;
}

/** ∂/∂θⱼ of `logPriorDensity`. */
export function logPriorGradient(theta: readonly number[], priors: readonly (LogNormalPrior | null)[]): number[] {
  return theta.map((t, j) => {
    const prior = priors[j];
    return prior ? -(t - Math.log(prior.centre)) / (prior.logStd * prior.logStd) : 0;
  });
}

export interface LogParameterObjective {
  /** The objective at θ; −Infinity where it is not defined (e.g. a failed factorisation). */
  value(theta: readonly number[]): number;
  /** Its gradient at a θ whose value was finite. */
  gradient(theta: readonly number[]): number[];
}

export interface LogParameterSearchOptions {
  /** Box per parameter, in log space. */
  readonly bounds: readonly (readonly [number, number])[];
  /** Parameters the search may move (the others stay at their start). */
  readonly free: readonly boolean[];
  /** Indices moved together by the coarse scan (the lengthscales); empty for no scan. */
  readonly scanGroup: readonly number[];
  readonly maxIterations: number;
}

export interface LogParameterSearchResult {
  readonly theta: number[];
  readonly value: number;
  readonly initialValue: number;
  readonly evaluations: number;
}

export function searchLogParameters(
  objective: LogParameterObjective,
  start: readonly number[],
  options: LogParameterSearchOptions,
): LogParameterSearchResult {
  const { bounds, free, scanGroup, maxIterations } = options;
  const p = start.length;
  const clamp = (theta: number[]): number[] =>
    theta.map((t, j) => (free[j] ? Math.min(bounds[j][1], Math.max(bounds[j][0], t)) : t));
  let evaluations = 0;
  const evaluate = (theta: number[]): number => {
    evaluations++;
    return objective.value(theta);
  };

  const initialTheta = clamp(start.slice());
  const initialValue = evaluate(initialTheta);
  let theta = initialTheta;
  let best = initialValue;
  for (let k = -3; k <= 3 && scanGroup.length > 0; k++) {
    if (k === 0) continue;
    const candidate = initialTheta.slice();
    for (const j of scanGroup) candidate[j] += k * Math.LN2;
    const clamped = clamp(candidate);
    const value = evaluate(clamped);
    if (value > best) {
      best = value;
      theta = clamped;
    }
  }

  const steps = new Array<number>(p).fill(0.5);
  let previous = new Array<number>(p).fill(0);
  let gradient = Number.isFinite(best) ? objective.gradient(theta) : null;
  for (let it = 0; it < maxIterations && gradient; it++) {
    const g = gradient;
    for (let j = 0; j < p; j++) {
      const product = g[j] * previous[j];
      if (product > 0) steps[j] = Math.min(steps[j] * 1.2, 2);
      else if (product < 0) steps[j] *= 0.5;
    }
    const candidate = clamp(theta.map((t, j) => (free[j] ? t + Math.sign(g[j]) * steps[j] : t)));
    const moved = candidate.some((t, j) => t !== theta[j]);
    const value = moved ? evaluate(candidate) : -Infinity;
    if (value > best) {
      best = value;
      theta = candidate;
      previous = g.map((gj, j) => (gj * previous[j] < 0 ? 0 : gj));
      gradient = objective.gradient(theta);
    } else {
      // Overshot (or pinned at the box): shrink every step and retry from the same point.
      for (let j = 0; j < p; j++) steps[j] *= 0.5;
      previous = new Array<number>(p).fill(0);
    }
    let largest = 0;
    for (let j = 0; j < p; j++) if (free[j]) largest = Math.max(largest, steps[j]);
    if (largest < 1e-3) break;
  }
  return { theta, value: best, initialValue, evaluations };
}
