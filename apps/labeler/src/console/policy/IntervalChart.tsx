/**
 * Each response's β-interval [LCB, UCB] as a horizontal bar with a tick at the posterior mean, and a
 * dashed line at the greedy pick's LCB: a response whose bar ends left of that line is confidently
 * worse than the pick.
 */
import type { PolicyPromptDetail } from '@borda/api-contract';
import { Bar, CartesianGrid, ComposedChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure, type ChartTableColumn } from '../../components/ChartFigure';
import { formatNumber } from '../../components/format';

type Response = PolicyPromptDetail['responses'][number];

interface Row {
  readonly label: string;
  readonly rank: number;
  readonly ordinal: number;
  readonly mean: number;
  readonly std: number;
  readonly lcb: number;
  readonly ucb: number;
  readonly interval: [number, number];
  readonly isGreedy: boolean;
}

const columns: ChartTableColumn<Row>[] = [
  { header: 'Rank', value: (r) => r.rank },
  { header: 'Ordinal', value: (r) => r.ordinal },
  { header: 'Mean', value: (r) => r.mean },
  { header: 'Std', value: (r) => r.std },
  { header: 'LCB', value: (r) => r.lcb },
  { header: 'UCB', value: (r) => r.ucb },
];

interface ShapeProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  payload?: Row;
}

/** The interval bar with a mean tick (recharts' range bar alone cannot mark the mean). */
function IntervalShape({ x = 0, y = 0, width = 0, height = 0, payload }: ShapeProps) {
  if (!payload) return null;
  const span = payload.ucb - payload.lcb;
  const meanX = span > 0 ? x + (width * (payload.mean - payload.lcb)) / span : x + width / 2;
  const barHeight = Math.min(height, 14);
  const top = y + (height - barHeight) / 2;
  return (
    <g>
      <rect
        x={Math.min(x, x + width)}
        y={top}
        width={Math.max(Math.abs(width), 2)}
        height={barHeight}
        rx={3}
        fill={payload.isGreedy ? '#1f5fbf' : '#7b8794'}
        fillOpacity={0.35}
        stroke={payload.isGreedy ? '#1f5fbf' : '#4d5661'}
      />
      <line x1={meanX} x2={meanX} y1={top - 3} y2={top + barHeight + 3} stroke="#1b1f24" strokeWidth={2} />
    </g>
  );
}

export function IntervalChart({ responses, greedy }: { responses: readonly Response[]; greedy: string }) {
  const rows: Row[] = responses.map((r) => ({
    label: `#${r.rank}`,
    rank: r.rank,
    ordinal: r.ordinal,
    mean: r.mean,
    std: r.std,
    lcb: r.lcb,
    ucb: r.ucb,
    interval: [r.lcb, r.ucb],
    isGreedy: r.responseId === greedy,
  }));
  const greedyLcb = rows.find((r) => r.isGreedy)?.lcb;
  return (
    <ChartFigure
      title="Confidence intervals"
      description="Each bar spans a response's LCB to UCB (mean ± β·std) with a tick at its posterior mean; the greedy pick is blue. Bars ending left of the dashed line (the pick's LCB) are confidently worse."
      rows={rows}
      columns={columns}
      height={Math.max(140, 48 + rows.length * 34)}
    >
      {/* No keyboard layer: the canvas is aria-hidden (ChartFigure's data table carries the numbers), so it must not take focus. */}
      <ComposedChart
        accessibilityLayer={false}
        data={rows}
        layout="vertical"
        margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" domain={['auto', 'auto']} tickFormatter={(v: number) => formatNumber(v, 2)} />
        <YAxis type="category" dataKey="label" width={44} />
        <Tooltip
          formatter={(_value, _name, item) => {
            const row = (item as { payload?: Row }).payload;
            return row ? `${formatNumber(row.lcb)} … ${formatNumber(row.ucb)} (mean ${formatNumber(row.mean)})` : '';
          }}
        />
        {greedyLcb !== undefined && <ReferenceLine x={greedyLcb} stroke="#1f5fbf" strokeDasharray="4 3" />}
        <Bar dataKey="interval" name="LCB … UCB" shape={<IntervalShape />} isAnimationActive={false} />
      </ComposedChart>
    </ChartFigure>
  );
}
