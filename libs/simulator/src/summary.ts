/**
 * Per-strategy summaries of a set of runs: mean ± 95% CI curves, final suboptimality,
 * labels-to-ε and the label-efficiency ratio against `uniform`. Plain JSON (null for "never").
 */
import { meanConfidence95 } from '@borda/numeric';
import { type AggregatedCurve, aggregateCurves, curveArea, labelEfficiencyRatio, labelsToEpsilon } from './metrics';
import type { ModelChoice } from './model-factory';
import type { SimulationResult } from './simulate';

export interface Interval {
  readonly mean: number;
  readonly halfWidth: number;
}

export interface StrategySummary {
  readonly strategy: string;
  readonly modelKind: string;
  /**
   * The model each seed's run used (kind, lengthscale, random features, learned hyperparameters),
   * in seed order: a model chooser may pick differently per run.
   */
  readonly models: ModelChoice[];
  readonly seeds: number[];
  readonly aggregate: AggregatedCurve;
  /** Average SubOpt_max over the run (curveArea), mean ± 95% CI over seeds. */
  readonly area: Interval;
  /** SubOpt at the last checkpoint (the whole budget), mean ± 95% CI over seeds. */
  readonly final: { readonly subOptMax: Interval; readonly subOptMean: Interval };
  readonly labelsToEpsilon: {
    /** Per seed; null when that run never stays within ε. */
    readonly perSeed: (number | null)[];
    /** On the mean SubOpt_max curve; null when it never stays within ε. */
    readonly meanCurve: number | null;
    /** Seeds that reach ε. */
    readonly reached: number;
  };
  /** Labels to reach uniform's final mean SubOpt_max, over the budget; null when never, absent without `uniform`. */
  readonly labelEfficiencyRatio?: number | null;
  readonly wallTimeMs: { readonly mean: number; readonly total: number };
}

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

function interval(xs: number[]): Interval {
  const ci = meanConfidence95(xs);
  return { mean: ci.mean, halfWidth: ci.halfWidth };
}

export function summariseStrategy(runs: readonly SimulationResult[], epsilon: number): StrategySummary {
  if (runs.length === 0) throw new RangeError('summariseStrategy needs at least one run');
  const aggregate = aggregateCurves(runs.map((r) => r.curve));
  const last = aggregate.labels.length - 1;
  const perSeed = runs.map((r) => finiteOrNull(labelsToEpsilon(r.curve, epsilon)));
  const wall = runs.map((r) => r.wallTimeMs);
  return {
    strategy: runs[0].strategy,
    modelKind: runs[0].modelKind,
    models: runs.map((r) => r.model),
    seeds: runs.map((r) => r.seed),
    aggregate,
    area: interval(runs.map((r) => curveArea(r.curve))),
    final: {
      subOptMax: interval(runs.map((r) => r.curve.subOptMax[last])),
      subOptMean: interval(runs.map((r) => r.curve.subOptMean[last])),
    },
    labelsToEpsilon: {
      perSeed,
      meanCurve: finiteOrNull(
        labelsToEpsilon({ labels: aggregate.labels, subOptMax: aggregate.subOptMax.mean }, epsilon),
      ),
      reached: perSeed.filter((v) => v !== null).length,
    },
    wallTimeMs: { mean: wall.reduce((a, b) => a + b, 0) / wall.length, total: wall.reduce((a, b) => a + b, 0) },
  };
}

/**
 * Summaries of every strategy present (in first-seen order); with a `uniform` run among them each
 * also gets its label-efficiency ratio against uniform's final mean SubOpt_max.
 */
export function summariseRuns(
  results: readonly SimulationResult[],
  epsilon: number,
  budget: number,
): StrategySummary[] {
  const groups = new Map<string, SimulationResult[]>();
  for (const r of results) {
    const list = groups.get(r.strategy) ?? [];
    list.push(r);
    groups.set(r.strategy, list);
  }
  const summaries = [...groups.values()].map((runs) => summariseStrategy(runs, epsilon));
  const uniform = summaries.find((s) => s.strategy === 'uniform');
  if (!uniform) return summaries;
  const uniformFinal = uniform.aggregate.subOptMax.mean[uniform.aggregate.labels.length - 1];
  return summaries.map((s) => ({
    ...s,
    labelEfficiencyRatio: finiteOrNull(
      labelEfficiencyRatio({ labels: s.aggregate.labels, subOptMax: s.aggregate.subOptMax.mean }, uniformFinal, budget),
    ),
  }));
}
