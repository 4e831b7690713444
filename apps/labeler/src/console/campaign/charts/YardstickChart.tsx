import type { ModelVersionSummary } from '@borda/api-contract';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure } from '../../../components/ChartFigure';
import { formatNumber, formatPercent } from '../../../components/format';
import { CHART, CHART_MARGIN } from './theme';

/**
 * Did active selection pay off on this campaign's own data? Per model version, the held-out accuracy
 * on the yardstick (uniformly drawn comparisons) of a model fitted on actively chosen labels against
 * one fitted on as many uniformly drawn labels.
 */
export function YardstickChart({
  versions,
  yardstickShare,
}: {
  versions: readonly ModelVersionSummary[];
  yardstickShare: number;
}) {
  const rows = [...versions]
    .reverse()
    .filter((v) => v.metrics.yardstick)
    .map((v) => {
      const y = v.metrics.yardstick!;
      return {
        version: v.version,
        labelCount: v.labelCount,
        budget: y.uniformOnly.trainSize,
        heldOut: v.metrics.testSize,
        active: y.activeSameBudget.accuracy,
        uniform: y.uniformOnly.accuracy,
        activeLogLoss: y.activeSameBudget.logLoss,
        uniformLogLoss: y.uniformOnly.logLoss,
      };
    });
  type Row = (typeof rows)[number];
  const emptyText =
    yardstickShare > 0
      ? `Appears once 20 labels on uniformly drawn comparisons exist (${formatPercent(yardstickShare)} of comparisons are drawn uniformly).`
      : 'The yardstick is off (yardstickShare 0): no uniformly drawn comparisons to compare against.';
  return (
    <ChartFigure<Row>
      title="Active selection against uniform labels"
      description="Held-out accuracy on uniformly drawn comparisons of a model fitted on actively chosen labels and of one fitted on as many uniformly drawn labels. Active selection paid off where the active line is above."
      rows={rows}
      emptyText={emptyText}
      columns={[
        { header: 'Version', value: (r) => r.version },
        { header: 'Labels', value: (r) => r.labelCount },
        { header: 'Labels per model', value: (r) => r.budget },
        { header: 'Held out', value: (r) => r.heldOut },
        { header: 'Active: accuracy', value: (r) => formatPercent(r.active) },
        { header: 'Uniform: accuracy', value: (r) => formatPercent(r.uniform) },
        { header: 'Active: log-loss', value: (r) => formatNumber(r.activeLogLoss) },
        { header: 'Uniform: log-loss', value: (r) => formatNumber(r.uniformLogLoss) },
      ]}
    >
      <LineChart data={rows} margin={CHART_MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={CHART.grid} />
        <XAxis dataKey="labelCount" type="number" domain={['dataMin', 'dataMax']} />
        <YAxis domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
        <Tooltip />
        <Legend />
        <Line dataKey="active" name="Actively chosen labels" stroke={CHART.primary} strokeWidth={2} connectNulls />
        <Line
          dataKey="uniform"
          name="Uniformly drawn labels"
          stroke={CHART.secondary}
          strokeDasharray={CHART.dash}
          connectNulls
        />
      </LineChart>
    </ChartFigure>
  );
}
