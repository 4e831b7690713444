import type { CampaignStats, LabelRatePoint } from '@borda/api-contract';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure } from '../../../components/ChartFigure';
import { formatBucket } from '../../../components/format';
import { CHART, CHART_MARGIN } from './theme';

/** Judgments per time bucket (bars, left axis) and their running total (line, right axis). */
export function LabelsOverTimeChart({ stats }: { stats: CampaignStats }) {
  const rows = stats.labelsOverTime.map((point) => ({ ...point, when: formatBucket(point.start, stats.bucket) }));
  return (
    <ChartFigure<LabelRatePoint & { when: string }>
      title="Labels over time"
      description={`Judgments stored per ${stats.bucket} (bars, UTC) and in total (line); skips are counted apart.`}
      rows={rows}
      emptyText="No labels yet."
      columns={[
        { header: `${stats.bucket === 'hour' ? 'Hour' : 'Day'} (UTC)`, value: (r) => r.when },
        { header: 'Labels', value: (r) => r.labels },
        { header: 'Skips', value: (r) => r.skips },
        { header: 'Cumulative labels', value: (r) => r.cumulative },
      ]}
    >
      <ComposedChart data={rows} margin={CHART_MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={CHART.grid} vertical={false} />
        <XAxis dataKey="when" minTickGap={24} />
        <YAxis yAxisId="per" allowDecimals={false} />
        <YAxis yAxisId="total" orientation="right" allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Bar yAxisId="per" dataKey="labels" name={`Labels per ${stats.bucket}`} fill={CHART.primary} />
        <Bar yAxisId="per" dataKey="skips" name="Skips" fill={CHART.muted} />
        <Line
          yAxisId="total"
          type="monotone"
          dataKey="cumulative"
          name="Cumulative labels"
          stroke={CHART.secondary}
          strokeWidth={2}
          dot={false}
        />
      </ComposedChart>
    </ChartFigure>
  );
}
