/** Output files of a simulation (results.json, curves.csv, regret.svg) and the summary table. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Table from 'cli-table3';
import type { SimulationResult, StrategySummary } from '@borda/simulator';
import { renderRegretSvg } from './chart';

export interface RunReport {
  readonly config: Record<string, unknown>;
  readonly environment: Record<string, unknown>;
  readonly epsilon: number;
  readonly results: readonly SimulationResult[];
  readonly summaries: readonly StrategySummary[];
  readonly wallTimeMs: number;
}

/** Tidy CSV: one row per (strategy, seed, checkpoint). */
export function curvesCsv(results: readonly SimulationResult[]): string {
  const lines = ['strategy,seed,labels,subopt_max,subopt_mean'];
  for (const r of results) {
    r.curve.labels.forEach((labels, i) => {
      lines.push(`${r.strategy},${r.seed},${labels},${r.curve.subOptMax[i]},${r.curve.subOptMean[i]}`);
    });
  }
  return `${lines.join('\n')}\n`;
}

/**
 * results.json: config, per-strategy per-seed curves and model choice, aggregates with CI, labels-to-ε,
 * wall time.
 */
export function resultsJson(report: RunReport): string {
  const strategies: Record<string, unknown> = {};
  for (const s of report.summaries) {
    strategies[s.strategy] = {
      ...s,
      runs: report.results
        .filter((r) => r.strategy === s.strategy)
        .map((r, i) => ({
          seed: r.seed,
          model: r.model,
          curve: r.curve,
          labelsToEpsilon: s.labelsToEpsilon.perSeed[i],
          finalPolicy: r.finalPolicy,
          wallTimeMs: r.wallTimeMs,
        })),
    };
  }
  return `${JSON.stringify(
    {
      config: report.config,
      environment: report.environment,
      epsilon: report.epsilon,
      strategies,
      wallTimeMs: report.wallTimeMs,
    },
    null,
    2,
  )}\n`;
}

export interface WrittenFiles {
  readonly results: string;
  readonly curves: string;
  readonly chart: string;
}

export async function writeReport(dir: string, report: RunReport, title?: string): Promise<WrittenFiles> {
  mkdirSync(dir, { recursive: true });
  const files = { results: join(dir, 'results.json'), curves: join(dir, 'curves.csv'), chart: join(dir, 'regret.svg') };
  writeFileSync(files.results, resultsJson(report));
  writeFileSync(files.curves, curvesCsv(report.results));
  writeFileSync(files.chart, await renderRegretSvg(report.summaries, { title }));
  return files;
}

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
const ci = (i: { mean: number; halfWidth: number }) => `${fmt(i.mean)} ± ${fmt(i.halfWidth)}`;

/** Final SubOpt_max/mean ± CI, labels-to-ε, the efficiency ratio (when uniform ran) and wall time. */
export function summaryTable(summaries: readonly StrategySummary[], epsilon: number): string {
  const withRatio = summaries.some((s) => s.labelEfficiencyRatio !== undefined);
  const table = new Table({
    head: [
      'strategy',
      'model',
      'final SubOpt_max',
      'final SubOpt_mean',
      `labels-to-ε (ε=${fmt(epsilon)})`,
      ...(withRatio ? ['ratio vs uniform'] : []),
      'wall s/run',
    ],
    style: { head: [], border: [] },
  });
  for (const s of summaries) {
    const l2e = s.labelsToEpsilon;
    table.push([
      s.strategy,
      s.modelKind,
      ci(s.final.subOptMax),
      ci(s.final.subOptMean),
      `${l2e.meanCurve ?? 'never'} (${l2e.reached}/${l2e.perSeed.length} seeds)`,
      ...(withRatio ? [s.labelEfficiencyRatio == null ? 'never' : fmt(s.labelEfficiencyRatio, 2)] : []),
      fmt(s.wallTimeMs.mean / 1000, 2),
    ]);
  }
  return table.toString();
}
