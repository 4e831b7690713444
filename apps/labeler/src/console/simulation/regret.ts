/**
 * The regret chart's rows: one per label checkpoint, with each strategy's mean and 95% CI band for
 * the chosen metric. SubOpt is never negative, so a band is drawn from max(0, mean − h); on a log
 * axis zeros are lifted to a floor below the smallest positive value (the table keeps the raw numbers).
 */
import type { SimulationStrategyResult } from '@borda/api-contract';

export type RegretMetric = 'subOptMax' | 'subOptMean';

export const METRIC_TEXT: Record<RegretMetric, { short: string; long: string }> = {
  subOptMax: { short: 'SubOpt_max', long: 'worst-case suboptimality over prompts, the headline metric' },
  subOptMean: { short: 'SubOpt_mean', long: 'suboptimality averaged over prompts' },
};

export interface RegretRow {
  readonly labels: number;
  /** `m${i}` mean and `h${i}` half-width (raw, for the table); `l${i}` line and `b${i}` band [low, high] as drawn. */
  readonly [key: string]: number | [number, number] | null;
}

export const meanKey = (index: number) => `m${index}`;
export const halfWidthKey = (index: number) => `h${index}`;
export const lineKey = (index: number) => `l${index}`;
export const bandKey = (index: number) => `b${index}`;

function logFloor(strategies: readonly SimulationStrategyResult[], metric: RegretMetric): number {
  let smallest = Infinity;
  for (const s of strategies) {
    const { mean, halfWidth } = s.aggregate[metric];
    mean.forEach((m, i) => {
      for (const v of [m, m - halfWidth[i]]) if (v > 0 && v < smallest) smallest = v;
    });
  }
  return Number.isFinite(smallest) ? smallest / 2 : 1e-6;
}

export function regretRows(
  strategies: readonly SimulationStrategyResult[],
  metric: RegretMetric,
  logScale: boolean,
): RegretRow[] {
  const floor = logScale ? logFloor(strategies, metric) : 0;
  const lift = (v: number) => Math.max(v, floor);
  const byLabels = new Map<number, Record<string, number | [number, number] | null>>();
  strategies.forEach((s, index) => {
    const { mean, halfWidth } = s.aggregate[metric];
    s.aggregate.labels.forEach((labels, i) => {
      const row = byLabels.get(labels) ?? { labels };
      row[meanKey(index)] = mean[i];
      row[halfWidthKey(index)] = halfWidth[i];
      row[lineKey(index)] = lift(mean[i]);
      row[bandKey(index)] = [lift(mean[i] - halfWidth[i]), lift(mean[i] + halfWidth[i])];
      byLabels.set(labels, row);
    });
  });
  return [...byLabels.values()]
    .map((row) => {
      // Strategies without this checkpoint get null (a gap), never a made-up value.
      strategies.forEach((_, index) => {
        if (!(meanKey(index) in row)) {
          row[meanKey(index)] = null;
          row[halfWidthKey(index)] = null;
          row[lineKey(index)] = null;
          row[bandKey(index)] = null;
        }
      });
      return row as RegretRow;
    })
    .sort((a, b) => a.labels - b.labels);
}

/** Okabe–Ito colours (distinguishable with colour-vision deficiencies), each with its own dash pattern. */
export const SERIES_STYLES: readonly { color: string; dash?: string }[] = [
  { color: '#0072B2' },
  { color: '#D55E00', dash: '6 3' },
  { color: '#009E73', dash: '2 2' },
  { color: '#CC79A7', dash: '8 3 2 3' },
  { color: '#8a6100' },
  { color: '#56B4E9', dash: '6 3' },
  { color: '#1b1f24', dash: '2 2' },
  { color: '#6a1b9a', dash: '8 3 2 3' },
];
