/**
 * Honest metrics for a reward model in a noisy crowd: the same predictions scored against the raw
 * labels (which a bad third of the crowd drags toward 50 %), the reliability-weighted consensus, and
 * the gold answers (the only targets that do not depend on any estimate).
 */
import type { CrowdJudgment } from './crowd-data';
import type { ComparisonConsensus } from './crowd-reports';

export interface PredictionMetrics {
  /** Number of targets scored. */
  readonly count: number;
  /** Mean P(a target draw agrees with the predicted side); plain accuracy for 0/1 targets; ½ for p = ½. */
  readonly accuracy: number;
  /** Mean cross-entropy −[t log p + (1 − t) log(1 − p)] (p clipped to [1e-12, 1 − 1e-12]). */
  readonly logLoss: number;
  /** Mean (p − t)². */
  readonly brier: number;
  /** Expected calibration error: Σ_bins (n_b/n)·|mean p − mean t| over equal-width bins of p. */
  readonly ece: number;
}

export interface PredictionMetricsOptions {
  /** Equal-width probability bins for the ECE (default 10). */
  readonly bins?: number;
}

/** Scores probabilities p_i = P(first better) against targets t_i ∈ [0, 1] (soft targets allowed). */
export function predictionMetrics(
  probabilities: ArrayLike<number>,
  targets: ArrayLike<number>,
  options: PredictionMetricsOptions = {},
): PredictionMetrics {
  const n = probabilities.length;
  if (targets.length !== n) throw new RangeError(`${n} probabilities but ${targets.length} targets`);
  const bins = options.bins ?? 10;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  if (n === 0) return { count: 0, accuracy: NaN, logLoss: NaN, brier: NaN, ece: NaN };
  const binCount = new Float64Array(bins);
  const binP = new Float64Array(bins);
  const binT = new Float64Array(bins);
  let accuracy = 0;
  let logLoss = 0;
  let brier = 0;
  for (let i = 0; i < n; i++) {
    const p = probabilities[i];
    const t = targets[i];
    if (!(p >= 0 && p <= 1)) throw new RangeError(`probabilities[${i}] is ${p}, expected a value in [0, 1]`);
    if (!(t >= 0 && t <= 1)) throw new RangeError(`targets[${i}] is ${t}, expected a value in [0, 1]`);
    accuracy += p > 0.5 ? t : p < 0.5 ? 1 - t : 0.5;
    const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
    logLoss -= t * Math.log(q) + (1 - t) * Math.log1p(-q);
    brier += (p - t) ** 2;
    const b = Math.min(bins - 1, Math.floor(p * bins));
    binCount[b]++;
    binP[b] += p;
    binT[b] += t;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (binCount[b] > 0) ece += Math.abs(binP[b] - binT[b]) / n;
  return { count: n, accuracy: accuracy / n, logLoss: logLoss / n, brier: brier / n, ece };
}

export interface CrowdMetrics {
  /** Against every directional raw label (ties and both-bad left out). */
  readonly rawLabels: PredictionMetrics;
  /** Against the reliability-weighted consensus P(first better) of each judged comparison. */
  readonly consensus: PredictionMetrics;
  /** Against the gold answers (count 0 without gold). */
  readonly gold: PredictionMetrics;
}

/**
 * Scores a model's P(first better) per comparison id on the three targets. `comparisons` is a fit's
 * per-comparison report (CrowdFit.comparisons), which carries the consensus and gold of each.
 */
export function crowdMetrics(
  probabilityFirst: ReadonlyMap<string, number>,
  judgments: readonly CrowdJudgment[],
  comparisons: readonly ComparisonConsensus[],
  options: PredictionMetricsOptions = {},
): CrowdMetrics {
  const probability = (id: string) => {
    const p = probabilityFirst.get(id);
    if (p === undefined) throw new RangeError(`no prediction for comparison '${id}'`);
    return p;
  };
  const raw: [number[], number[]] = [[], []];
  for (const j of judgments) {
    if (j.choice !== 'left' && j.choice !== 'right') continue;
    raw[0].push(probability(j.comparison));
    raw[1].push((j.choice === 'left') === (j.shownLeft === 'first') ? 1 : 0);
  }
  const consensus: [number[], number[]] = [[], []];
  const gold: [number[], number[]] = [[], []];
  for (const c of comparisons) {
    if (c.consensus !== null) {
      consensus[0].push(probability(c.id));
      consensus[1].push(c.consensus);
    }
    if (c.gold !== null) {
      gold[0].push(probability(c.id));
      gold[1].push(c.gold === 'first' ? 1 : 0);
    }
  }
  return {
    rawLabels: predictionMetrics(raw[0], raw[1], options),
    consensus: predictionMetrics(consensus[0], consensus[1], options),
    gold: predictionMetrics(gold[0], gold[1], options),
  };
}
