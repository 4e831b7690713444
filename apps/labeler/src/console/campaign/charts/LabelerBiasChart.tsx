import type { LabelerStats } from '@borda/api-contract';
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure } from '../../../components/ChartFigure';
import { formatNumber, formatPercent } from '../../../components/format';
import { biasVerdict, BIAS_Z_LIMIT, isSideBiased } from './bias';
import { CHART, CHART_MARGIN } from './theme';

/** Each labeler's share of decisive judgments for the left response; 0.5 is a fair coin. */
export function LabelerBiasChart({ labelers }: { labelers: readonly LabelerStats[] }) {
  const rows = labelers.filter((l) => l.leftRate !== null);
  return (
    <ChartFigure<LabelerStats>
      title="Left/right bias"
      description={`Share of decisive judgments that picked the left response (dashed line: 0.5, no bias). Red bars and "favours" rows are more than ${BIAS_Z_LIMIT} standard deviations from a fair coin.`}
      rows={rows}
      emptyText="No decisive judgments yet."
      columns={[
        { header: 'Labeler', value: (r) => r.name },
        { header: 'Decisive', value: (r) => r.decisive },
        { header: 'Left rate', value: (r) => formatPercent(r.leftRate) },
        { header: 'z', value: (r) => formatNumber(r.leftBiasZ, 2) },
        { header: 'Verdict', value: (r) => biasVerdict(r) },
      ]}
    >
      <BarChart data={rows} margin={CHART_MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={CHART.grid} vertical={false} />
        <XAxis dataKey="name" interval={0} />
        <YAxis domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
        <Tooltip />
        <ReferenceLine y={0.5} stroke={CHART.reference} strokeDasharray={CHART.dash} label="0.5" />
        <Bar dataKey="leftRate" name="Left rate">
          {rows.map((row) => (
            <Cell key={row.labelerId} fill={isSideBiased(row) ? CHART.danger : CHART.primary} />
          ))}
        </Bar>
      </BarChart>
    </ChartFigure>
  );
}
