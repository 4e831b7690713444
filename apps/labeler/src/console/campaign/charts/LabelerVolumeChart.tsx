import type { LabelerStats } from '@borda/api-contract';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure } from '../../../components/ChartFigure';
import { CHART, CHART_MARGIN } from './theme';

/** Judgments per labeler, split into decisive, tie and both-bad, with skips beside them. */
export function LabelerVolumeChart({ labelers }: { labelers: readonly LabelerStats[] }) {
  return (
    <ChartFigure<LabelerStats>
      title="Labels per labeler"
      description="Each labeler's judgments (decisive, tie, both bad) and skips; today's count in the table."
      rows={labelers}
      emptyText="No labeler assigned and no labels yet."
      columns={[
        { header: 'Labeler', value: (r) => r.name },
        { header: 'Labels', value: (r) => r.labels },
        { header: 'Today', value: (r) => r.labelsToday },
        { header: 'Decisive', value: (r) => r.decisive },
        { header: 'Ties', value: (r) => r.ties },
        { header: 'Both bad', value: (r) => r.bothBad },
        { header: 'Skips', value: (r) => r.skips },
      ]}
    >
      <BarChart data={[...labelers]} margin={CHART_MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={CHART.grid} vertical={false} />
        <XAxis dataKey="name" interval={0} />
        <YAxis allowDecimals={false} />
        <Tooltip />
        <Legend />
        <Bar dataKey="decisive" name="Decisive" stackId="labels" fill={CHART.primary} />
        <Bar dataKey="ties" name="Ties" stackId="labels" fill={CHART.tertiary} />
        <Bar dataKey="bothBad" name="Both bad" stackId="labels" fill={CHART.secondary} />
        <Bar dataKey="skips" name="Skips" fill={CHART.muted} />
      </BarChart>
    </ChartFigure>
  );
}
