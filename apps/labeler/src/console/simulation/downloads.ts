/** A finished simulation's numbers as files: the whole result (JSON) and the curves (CSV, one row per checkpoint). */
import type { SimulationResultView } from '@borda/api-contract';

export function resultJson(result: SimulationResultView): Blob {
  return new Blob([JSON.stringify(result, null, 2)], { type: 'application/json' });
}

export function curvesCsv(result: SimulationResultView): Blob {
  const lines = ['strategy,labels,subopt_max_mean,subopt_max_ci95,subopt_mean_mean,subopt_mean_ci95'];
  for (const s of result.strategies) {
    const { labels, subOptMax, subOptMean } = s.aggregate;
    labels.forEach((l, i) => {
      lines.push(
        [s.strategy, l, subOptMax.mean[i], subOptMax.halfWidth[i], subOptMean.mean[i], subOptMean.halfWidth[i]].join(
          ',',
        ),
      );
    });
  }
  return new Blob([lines.join('\n') + '\n'], { type: 'text/csv' });
}
