/**
 * Suboptimality of an output policy and the summaries built on its curve (algorithms.md §1):
 * SubOpt_max/SubOpt_mean, labels-to-ε, the mean ± 95% CI over seeds, and the label-efficiency ratio.
 */
import { meanConfidence95 } from '@borda/numeric';
import type { Environment } from './types';

/** SubOpt_max / SubOpt_mean measured after `labels` labels. */
export interface RegretCurve {
  readonly labels: number[];
  readonly subOptMax: number[];
  readonly subOptMean: number[];
}

export interface Suboptimality {
  /** max_x [r(x, a*) − r(x, π̂(x))] */
  readonly max: number;
  /** The same gap averaged over prompts. */
  readonly mean: number;
}

/** Best reward of each prompt. */
export function bestRewards(env: Environment): Float64Array {
  const prompts = env.offsets.length - 1;
  const best = new Float64Array(prompts);
  for (let p = 0; p < prompts; p++) {
    let b = -Infinity;
    for (let i = env.offsets[p]; i < env.offsets[p + 1]; i++) if (env.reward[i] > b) b = env.reward[i];
    best[p] = b;
  }
  return best;
}

/** Gap to the best response of each prompt for `policy` (a response index local to each prompt). */
export function suboptimality(env: Environment, policy: ArrayLike<number>, best = bestRewards(env)): Suboptimality {
  const prompts = env.offsets.length - 1;
  if (policy.length !== prompts) throw new RangeError(`policy has ${policy.length} entries for ${prompts} prompts`);
  let max = 0;
  let sum = 0;
  for (let p = 0; p < prompts; p++) {
    const count = env.offsets[p + 1] - env.offsets[p];
    const a = policy[p];
    if (!Number.isInteger(a) || a < 0 || a >= count) {
      throw new RangeError(`policy[${p}] = ${a} is not a response of prompt ${p} (it has ${count})`);
    }
    const gap = best[p] - env.reward[env.offsets[p] + a];
    if (gap > max) max = gap;
    sum += gap;
  }
  return { max, mean: sum / prompts };
}

/** max − min of the reward over all arms. */
export function rewardRange(env: Environment): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of env.reward) {
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  }
  return hi - lo;
}

/** The default ε of labels-to-ε: 5% of the reward range. */
export function defaultEpsilon(env: Environment): number {
  return 0.05 * rewardRange(env);
}

/**
 * First label count T such that every checkpoint from T on has SubOpt_max ≤ ε; Infinity when the
 * last checkpoint is still above ε.
 */
export function labelsToEpsilon(curve: Pick<RegretCurve, 'labels' | 'subOptMax'>, epsilon: number): number {
  const { labels, subOptMax } = curve;
  if (labels.length !== subOptMax.length) {
    throw new RangeError(`curve has ${labels.length} label counts but ${subOptMax.length} values`);
  }
  let lastAbove = -1;
  for (let i = 0; i < subOptMax.length; i++) if (!(subOptMax[i] <= epsilon)) lastAbove = i;
  if (lastAbove === labels.length - 1) return Infinity;
  return labels[lastAbove + 1];
}

/**
 * Average SubOpt_max over the run: the trapezoidal area under the curve divided by its label span
 * (independent of where the checkpoints fall, so batch sizes can be compared).
 */
export function curveArea(curve: Pick<RegretCurve, 'labels' | 'subOptMax'>): number {
  const { labels, subOptMax } = curve;
  if (labels.length < 2) return subOptMax[0] ?? NaN;
  let area = 0;
  for (let i = 1; i < labels.length; i++) area += ((subOptMax[i] + subOptMax[i - 1]) / 2) * (labels[i] - labels[i - 1]);
  return area / (labels[labels.length - 1] - labels[0]);
}

export interface CurveBand {
  readonly mean: number[];
  /** Half-width of the 95% CI of the mean over seeds. */
  readonly halfWidth: number[];
}

export interface AggregatedCurve {
  readonly labels: number[];
  readonly subOptMax: CurveBand;
  readonly subOptMean: CurveBand;
  readonly seeds: number;
}

function band(values: number[][]): CurveBand {
  const mean: number[] = [];
  const halfWidth: number[] = [];
  for (let i = 0; i < values[0].length; i++) {
    const ci = meanConfidence95(values.map((v) => v[i]));
    mean.push(ci.mean);
    halfWidth.push(ci.halfWidth);
  }
  return { mean, halfWidth };
}

/** Mean ± 95% CI per checkpoint over seeds (all curves must share their checkpoints). */
export function aggregateCurves(curves: readonly RegretCurve[]): AggregatedCurve {
  if (curves.length === 0) throw new RangeError('aggregateCurves needs at least one curve');
  const labels = curves[0].labels;
  curves.forEach((c, s) => {
    if (c.labels.length !== labels.length || c.labels.some((l, i) => l !== labels[i])) {
      throw new RangeError(`curve ${s} has different checkpoints from curve 0`);
    }
  });
  return {
    labels: [...labels],
    subOptMax: band(curves.map((c) => c.subOptMax)),
    subOptMean: band(curves.map((c) => c.subOptMean)),
    seeds: curves.length,
  };
}

/**
 * Labels a strategy needs before its mean SubOpt_max curve stays at or below `uniformFinal` (what
 * `uniform` reaches with the whole budget), divided by the budget. Below 1 means fewer labels than
 * uniform for the same quality; Infinity means it never gets there.
 */
export function labelEfficiencyRatio(
  strategyMeanCurve: Pick<RegretCurve, 'labels' | 'subOptMax'>,
  uniformFinal: number,
  budget: number,
): number {
  if (!(budget > 0)) throw new RangeError(`budget must be positive, got ${budget}`);
  // A relative tolerance so that uniform's own curve reaches its own final value.
  const target = uniformFinal + 1e-12 * Math.max(1, Math.abs(uniformFinal));
  return labelsToEpsilon(strategyMeanCurve, target) / budget;
}
