/**
 * Regret benchmark: every strategy on every built-in environment, budget 600, batch 1 and 16, ≥ 10
 * seeds, all runs on the CLI's worker pool. Prints per environment the final SubOpt_max/mean with
 * 95% CIs, labels-to-ε (ε = 5% of the reward range), the label-efficiency ratio against uniform,
 * and whether the default strategy (DEFAULT_STRATEGY, ae-auto) meets the bar:
 *   (1) ratio ≤ 0.5 on every environment (batch 1): uniform's final SubOpt_max with at most half the budget;
 *   (2) on mixed, clearly better than uniform-borda: the 95% CI of its average SubOpt_max over the
 *       run lies entirely below uniform-borda's;
 *   (3) batch 16 within 20% of batch 1: labels to reach uniform's batch-1 final SubOpt_max
 *       ≤ 1.2 × batch 1's + one batch (checkpoints fall on multiples of 16); if batch 1 never gets
 *       there, final SubOpt_max(16) ≤ 1.2 × final SubOpt_max(1);
 *   (4) not worse than any baseline beyond its interval: final SubOpt_max CIs of the default and of
 *       every other strategy overlap or the default's lies below.
 * Writes bench/results/regret-<env>.json and regret-<env>-batch<k>.svg.
 *
 * Full run: about 15–25 minutes on 2 free cores (the grid environments use a 15 × 15 grid here to
 * keep it there; linear-BT strategies at batch 1 dominate). BENCH_QUICK=1: 3 seeds, budget 200,
 * branin + mixed only — a smoke run of a minute or two.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Table from 'cli-table3';
import { SingleBar } from 'cli-progress';
import { DEFAULT_STRATEGY } from '@borda/dueling-bandit';
import { type SimulationTask, defaultWorkerCount, renderRegretSvg, runSimulationTasks } from '@borda/cli';
import {
  ENVIRONMENT_NAMES,
  type Environment,
  STRATEGY_NAMES,
  type SimulationResult,
  type StrategySummary,
  createEnvironment,
  defaultEpsilon,
  labelsToEpsilon,
  summariseRuns,
} from '@borda/simulator';

export interface RegretBenchOptions {
  /** Smoke run (default: BENCH_QUICK=1). */
  readonly quick?: boolean;
  readonly seeds?: number;
  readonly budget?: number;
  readonly batchSizes?: readonly number[];
  readonly environments?: readonly string[];
  readonly strategies?: readonly string[];
  /** Points per axis of the grid and gp-sample environments (default 15). */
  readonly gridSize?: number;
  readonly workers?: number;
  readonly outDir?: string;
  readonly log?: (line: string) => void;
}

interface Cell {
  readonly env: string;
  readonly batch: number;
  readonly epsilon: number;
  readonly summaries: StrategySummary[];
}

/** The strategy the bars judge: the product's default. */
const SUBJECT = DEFAULT_STRATEGY;

const fmt = (v: number | null | undefined, d = 3) =>
  v == null ? 'never' : Number.isFinite(v) ? v.toFixed(d) : String(v);
const ci = (i: { mean: number; halfWidth: number }) => `${fmt(i.mean)} ± ${fmt(i.halfWidth)}`;
const mark = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'MET' : 'NOT MET');

// Linear-BT strategies at batch 1 are the slow runs: dispatch them first so the pool ends together.
function cost(task: SimulationTask): number {
  const slow = ['apo', 'maxinp', 'dts', 'bald'].includes(task.run.strategy)
    ? 10
    : task.run.strategy === 'ae-neural'
      ? 4
      : 1;
  return slow / Math.sqrt(task.run.batchSize ?? 1);
}

function finalOf(s: StrategySummary): number {
  return s.aggregate.subOptMax.mean[s.aggregate.labels.length - 1];
}

function verdicts(env: string, cells: Cell[], budget: number): string[] {
  const lines: string[] = [];
  const byBatch = new Map(cells.map((c) => [c.batch, c]));
  const b1 = byBatch.get(1) ?? cells[0];
  const get = (c: Cell | undefined, name: string) => c?.summaries.find((s) => s.strategy === name);
  const ae1 = get(b1, SUBJECT);
  if (!ae1) return [`${SUBJECT} did not run: no verdict`];
  {
    const r = ae1.labelEfficiencyRatio;
    lines.push(
      `(1) label-efficiency ratio ≤ 0.5 (batch ${b1.batch}): ${fmt(r, 2)} → ${mark(r === undefined ? null : r !== null && r <= 0.5)}`,
    );
  }
  if (env === 'mixed') {
    const ub = get(b1, 'uniform-borda');
    const ok = ub ? ae1.area.mean + ae1.area.halfWidth < ub.area.mean - ub.area.halfWidth : null;
    lines.push(
      `(2) clearly better than uniform-borda (average SubOpt_max ${ci(ae1.area)} vs ${ub ? ci(ub.area) : 'n/a'}, CIs disjoint): ${mark(ok)}`,
    );
  }
  const b16 = cells.find((c) => c.batch > 1);
  const ae16 = get(b16, SUBJECT);
  const uniform1 = get(b1, 'uniform');
  if (b16 && ae16 && uniform1) {
    const target = finalOf(uniform1) + 1e-12;
    const l1 = labelsToEpsilon({ labels: ae1.aggregate.labels, subOptMax: ae1.aggregate.subOptMax.mean }, target);
    const l16 = labelsToEpsilon({ labels: ae16.aggregate.labels, subOptMax: ae16.aggregate.subOptMax.mean }, target);
    let ok: boolean;
    let detail: string;
    if (Number.isFinite(l1)) {
      ok = l16 <= 1.2 * l1 + b16.batch;
      detail = `labels to uniform's batch-1 final ${fmt(finalOf(uniform1))}: batch ${b16.batch} ${fmt(l16, 0)} vs batch 1 ${fmt(l1, 0)}`;
    } else {
      ok = finalOf(ae16) <= 1.2 * finalOf(ae1);
      detail = `final SubOpt_max batch ${b16.batch} ${fmt(finalOf(ae16))} vs batch 1 ${fmt(finalOf(ae1))}`;
    }
    lines.push(`(3) batch ${b16.batch} within 20% of batch 1 (${detail}): ${mark(ok)}`);
  }
  for (const cell of cells) {
    const ae = get(cell, SUBJECT)!;
    const worse = cell.summaries.filter(
      (s) =>
        s.strategy !== SUBJECT &&
        ae.final.subOptMax.mean - ae.final.subOptMax.halfWidth > s.final.subOptMax.mean + s.final.subOptMax.halfWidth,
    );
    lines.push(
      `(4) batch ${cell.batch}: not worse than any baseline beyond its interval: ${mark(worse.length === 0)}${worse.length ? ` (worse than ${worse.map((s) => s.strategy).join(', ')})` : ''}`,
    );
  }
  void budget;
  return lines;
}

function envTable(cells: Cell[]): string {
  const table = new Table({
    head: [
      'strategy',
      'batch',
      'final SubOpt_max',
      'final SubOpt_mean',
      'avg SubOpt_max',
      'labels-to-ε',
      'ratio vs uniform',
      's/run',
    ],
    style: { head: [], border: [] },
  });
  for (const cell of cells) {
    for (const s of cell.summaries) {
      table.push([
        s.strategy,
        cell.batch,
        ci(s.final.subOptMax),
        ci(s.final.subOptMean),
        ci(s.area),
        `${fmt(s.labelsToEpsilon.meanCurve, 0)} (${s.labelsToEpsilon.reached}/${s.seeds.length})`,
        s.labelEfficiencyRatio === undefined ? 'n/a' : fmt(s.labelEfficiencyRatio, 2),
        fmt(s.wallTimeMs.mean / 1000, 1),
      ]);
    }
  }
  return table.toString();
}

export async function run(options: RegretBenchOptions = {}): Promise<void> {
  const quick = options.quick ?? process.env.BENCH_QUICK === '1';
  // BENCH_SEEDS, BENCH_BUDGET, BENCH_BATCHES, BENCH_ENVS and BENCH_STRATEGIES (comma lists) narrow a run.
  const list = (name: string) => process.env[name]?.split(',').filter(Boolean);
  const seeds = options.seeds ?? Number(process.env.BENCH_SEEDS ?? (quick ? 3 : 20));
  const budget = options.budget ?? Number(process.env.BENCH_BUDGET ?? (quick ? 200 : 600));
  const batchSizes = options.batchSizes ?? list('BENCH_BATCHES')?.map(Number) ?? [1, 16];
  const envNames = options.environments ?? list('BENCH_ENVS') ?? (quick ? ['branin', 'mixed'] : ENVIRONMENT_NAMES);
  const strategies = options.strategies ?? list('BENCH_STRATEGIES') ?? STRATEGY_NAMES;
  const gridSize = options.gridSize ?? (quick ? 10 : 15);
  const workers = options.workers ?? defaultWorkerCount();
  const outDir = options.outDir ?? join(__dirname, 'results');
  const log = options.log ?? ((line: string) => console.log(line));

  const environments: Record<string, Environment> = {};
  for (const name of envNames) environments[name] = createEnvironment(name, { gridSize });
  const tasks: SimulationTask[] = [];
  for (const env of envNames) {
    for (const batchSize of batchSizes) {
      for (const strategy of strategies) {
        for (let seed = 1; seed <= seeds; seed++)
          tasks.push({ environment: env, run: { strategy, seed, budget, batchSize } });
      }
    }
  }
  const order = tasks.map((_, i) => i).sort((a, b) => cost(tasks[b]) - cost(tasks[a]) || a - b);
  log(
    `regret bench${quick ? ' (quick)' : ''}: ${envNames.length} environments × ${strategies.length} strategies × ${seeds} seeds × batch ${batchSizes.join('/')}, budget ${budget}, grid ${gridSize}×${gridSize}: ${tasks.length} runs on ${Math.min(workers, tasks.length)} workers`,
  );
  const started = performance.now();
  const bar = process.stderr.isTTY
    ? new SingleBar({ format: 'regret [{bar}] {percentage}% | ETA {eta_formatted}', stream: process.stderr })
    : null;
  const done = new Array<number>(tasks.length).fill(0);
  let labels = 0;
  bar?.start(tasks.length * budget, 0);
  const ordered = await runSimulationTasks(
    environments,
    order.map((i) => tasks[i]),
    {
      workers,
      onProgress: (i, l) => {
        labels += l - done[i];
        done[i] = l;
        bar?.update(labels);
      },
    },
  ).finally(() => bar?.stop());
  const results: SimulationResult[] = new Array(tasks.length);
  order.forEach((taskIndex, k) => (results[taskIndex] = ordered[k]));
  log(`all runs finished in ${((performance.now() - started) / 60000).toFixed(1)} min`);

  mkdirSync(outDir, { recursive: true });
  const overall: string[] = [];
  for (const env of envNames) {
    const epsilon = defaultEpsilon(environments[env]);
    const cells: Cell[] = batchSizes.map((batch) => ({
      env,
      batch,
      epsilon,
      summaries: summariseRuns(
        results.filter((_, i) => tasks[i].environment === env && tasks[i].run.batchSize === batch),
        epsilon,
        budget,
      ),
    }));
    log(`\n${env} — ${environments[env].description ?? ''} (ε = ${fmt(epsilon)})`);
    log(envTable(cells));
    const lines = verdicts(env, cells, budget);
    for (const line of lines) log(`  ${line}`);
    overall.push(...lines.map((l) => `${env}: ${l}`));
    writeFileSync(
      join(outDir, `regret-${env}.json`),
      `${JSON.stringify({ environment: env, epsilon, budget, seeds, gridSize, cells, verdicts: lines, results: results.filter((_, i) => tasks[i].environment === env) }, null, 2)}\n`,
    );
    for (const cell of cells) {
      writeFileSync(
        join(outDir, `regret-${env}-batch${cell.batch}.svg`),
        await renderRegretSvg(cell.summaries, {
          title: `${env}: ${seeds} seeds, budget ${budget}, batch ${cell.batch}`,
        }),
      );
    }
  }
  const failed = overall.filter((l) => l.includes('NOT MET'));
  log(
    `\n${SUBJECT} bar: ${overall.length - failed.length}/${overall.length} checks met${failed.length ? `; not met:\n  ${failed.join('\n  ')}` : ''}`,
  );
  log(`results in ${outDir}`);
}

if (require.main === module) {
  run().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
