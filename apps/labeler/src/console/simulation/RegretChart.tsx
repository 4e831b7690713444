/**
 * SubOpt against labels, one line per strategy with its 95% CI band over seeds (an Area for the
 * band under a Line for the mean), switchable between the worst-case and the mean metric and
 * between a linear and a log axis.
 */
import type { SimulationStrategyResult } from '@borda/api-contract';
import { useState } from 'react';
import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure, type ChartTableColumn } from '../../components/ChartFigure';
import { formatNumber } from '../../components/format';
import {
  bandKey,
  halfWidthKey,
  lineKey,
  meanKey,
  METRIC_TEXT,
  type RegretMetric,
  type RegretRow,
  regretRows,
  SERIES_STYLES,
} from './regret';

export interface RegretChartProps {
  readonly strategies: readonly SimulationStrategyResult[];
  /** ε of labels-to-ε, drawn on the SubOpt_max chart. */
  readonly epsilon: number;
  readonly seeds: number;
}

const num = (value: RegretRow[string]) => (typeof value === 'number' ? value : null);

export function RegretChart({ strategies, epsilon, seeds }: RegretChartProps) {
  const [metric, setMetric] = useState<RegretMetric>('subOptMax');
  const [logScale, setLogScale] = useState(false);
  const rows = regretRows(strategies, metric, logScale);
  const columns: ChartTableColumn<RegretRow>[] = [
    { header: 'Labels', value: (row) => row.labels },
    ...strategies.flatMap((s, index) => [
      { header: `${s.strategy} mean`, value: (row: RegretRow) => num(row[meanKey(index)]) },
      { header: `${s.strategy} ±95% CI`, value: (row: RegretRow) => num(row[halfWidthKey(index)]) },
    ]),
  ];
  const text = METRIC_TEXT[metric];

  return (
    <div className="regret-chart">
      <div className="chart-controls">
        <fieldset className="segmented">
          <legend>Metric</legend>
          {(Object.keys(METRIC_TEXT) as RegretMetric[]).map((value) => (
            <span key={value} className="segmented-option">
              <input
                type="radio"
                id={`regret-metric-${value}`}
                name="regret-metric"
                checked={metric === value}
                onChange={() => setMetric(value)}
              />
              <label htmlFor={`regret-metric-${value}`}>{METRIC_TEXT[value].short}</label>
            </span>
          ))}
        </fieldset>
        <span className="checkbox-option">
          <input
            type="checkbox"
            id="regret-log-scale"
            checked={logScale}
            onChange={(e) => setLogScale(e.target.checked)}
          />
          <label htmlFor="regret-log-scale">Log scale</label>
        </span>
      </div>
      <ChartFigure
        title="Regret curve"
        description={`${text.short} (${text.long}) against labels: mean over ${seeds} seed${seeds === 1 ? '' : 's'} with its 95% confidence band; lower is better.${metric === 'subOptMax' ? ` The dashed line is ε = ${formatNumber(epsilon)}.` : ''}`}
        rows={rows}
        columns={columns}
        height={340}
      >
        {/* No keyboard layer: the canvas is aria-hidden (ChartFigure's data table carries the numbers), so it must not take focus. */}
        <ComposedChart accessibilityLayer={false} data={rows} margin={{ top: 8, right: 24, bottom: 24, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="labels"
            type="number"
            domain={['dataMin', 'dataMax']}
            label={{ value: 'Labels', position: 'insideBottom', offset: -12 }}
          />
          <YAxis
            scale={logScale ? 'log' : 'linear'}
            domain={logScale ? ['auto', 'auto'] : [0, 'auto']}
            allowDataOverflow={logScale}
            tickFormatter={(v: number) => (logScale ? v.toExponential(0) : formatNumber(v, 2))}
            width={64}
          />
          <Tooltip formatter={(value) => (typeof value === 'number' ? formatNumber(value) : String(value))} />
          <Legend verticalAlign="top" />
          {metric === 'subOptMax' && epsilon > 0 && (
            <ReferenceLine y={epsilon} stroke="#4d5661" strokeDasharray="4 4" ifOverflow="extendDomain" />
          )}
          {strategies.map((s, index) => {
            const style = SERIES_STYLES[index % SERIES_STYLES.length];
            return (
              <Area
                key={`band-${s.strategy}`}
                dataKey={bandKey(index)}
                name={`${s.strategy} 95% CI`}
                stroke="none"
                fill={style.color}
                fillOpacity={0.15}
                legendType="none"
                tooltipType="none"
                isAnimationActive={false}
                connectNulls
              />
            );
          })}
          {strategies.map((s, index) => {
            const style = SERIES_STYLES[index % SERIES_STYLES.length];
            return (
              <Line
                key={`line-${s.strategy}`}
                dataKey={lineKey(index)}
                name={s.strategy}
                stroke={style.color}
                strokeDasharray={style.dash}
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
                connectNulls
              />
            );
          })}
        </ComposedChart>
      </ChartFigure>
    </div>
  );
}
