import type { LabelerStats } from '@borda/api-contract';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure } from '../../../components/ChartFigure';
import { formatDuration } from '../../../components/format';
import { CHART, CHART_MARGIN } from './theme';

/** Time per judgment: median and 90th percentile, in seconds. Very fast labelers may not be reading. */
export function LabelerSpeedChart({ labelers }: { labelers: readonly LabelerStats[] }) {
  const rows = labelers
    .filter((l) => l.medianTimeMs !== null)
    .map((l) => ({ ...l, medianS: (l.medianTimeMs ?? 0) / 1000, p90S: (l.p90TimeMs ?? 0) / 1000 }));
  type Row = (typeof rows)[number];
  return (
    <ChartFigure<Row>
      title="Time per judgment"
      description="Median and 90th-percentile seconds each labeler takes per judgment."
      rows={rows}
      emptyText="No timed judgments yet."
      columns={[
        { header: 'Labeler', value: (r) => r.name },
        { header: 'Median', value: (r) => formatDuration(r.medianTimeMs) },
        { header: '90th percentile', value: (r) => formatDuration(r.p90TimeMs) },
      ]}
    >
      <BarChart data={rows} margin={CHART_MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={CHART.grid} vertical={false} />
        <XAxis dataKey="name" interval={0} />
        <YAxis unit=" s" />
        <Tooltip />
        <Legend />
        <Bar dataKey="medianS" name="Median (s)" fill={CHART.primary} />
        <Bar dataKey="p90S" name="90th percentile (s)" fill={CHART.secondary} />
      </BarChart>
    </ChartFigure>
  );
}
