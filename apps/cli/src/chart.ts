/**
 * The regret picture: SubOpt_max and SubOpt_mean against labels (two panels), a mean line and a
 * 95% CI band per strategy. A Vega-Lite spec rendered headless to SVG by Vega (both ESM-only, so
 * they are loaded with a dynamic import from this CommonJS module).
 */
import type { StrategySummary } from '@borda/simulator';

export interface ChartOptions {
  readonly title?: string;
  /** Width and height of each panel in pixels (default 380 × 260). */
  readonly width?: number;
  readonly height?: number;
}

interface ChartRow {
  strategy: string;
  labels: number;
  metric: string;
  mean: number;
  low: number;
  high: number;
}

export const METRIC_LABELS = {
  subOptMax: 'SubOpt_max (worst prompt)',
  subOptMean: 'SubOpt_mean (average prompt)',
} as const;

export function chartRows(summaries: readonly StrategySummary[]): ChartRow[] {
  const rows: ChartRow[] = [];
  for (const s of summaries) {
    for (const key of ['subOptMax', 'subOptMean'] as const) {
      const band = s.aggregate[key];
      s.aggregate.labels.forEach((labels, i) => {
        const mean = band.mean[i];
        const half = band.halfWidth[i];
        // Suboptimality is never negative; a CI band below 0 would only be the t-interval's symmetry.
        rows.push({
          strategy: s.strategy,
          labels,
          metric: METRIC_LABELS[key],
          mean,
          low: Math.max(0, mean - half),
          high: mean + half,
        });
      });
    }
  }
  return rows;
}

export function regretChartSpec(
  summaries: readonly StrategySummary[],
  options: ChartOptions = {},
): Record<string, unknown> {
  const x = { field: 'labels', type: 'quantitative', title: 'labels' };
  const color = { field: 'strategy', type: 'nominal', title: 'strategy', sort: summaries.map((s) => s.strategy) };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    data: { values: chartRows(summaries) },
    facet: {
      column: {
        field: 'metric',
        type: 'nominal',
        title: null,
        sort: [METRIC_LABELS.subOptMax, METRIC_LABELS.subOptMean],
      },
    },
    spec: {
      width: options.width ?? 380,
      height: options.height ?? 260,
      layer: [
        {
          mark: { type: 'area', opacity: 0.18 },
          encoding: {
            x,
            y: { field: 'low', type: 'quantitative', title: 'suboptimality' },
            y2: { field: 'high' },
            color,
          },
        },
        { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: { field: 'mean', type: 'quantitative' }, color } },
      ],
    },
    resolve: { scale: { y: 'independent' } },
    config: { legend: { symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 } },
  };
}

/** The chart as an SVG document. */
export async function renderRegretSvg(
  summaries: readonly StrategySummary[],
  options: ChartOptions = {},
): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(
    regretChartSpec(summaries, options) as unknown as Parameters<typeof vegaLite.compile>[0],
  );
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
