import type { ModelVersionSummary } from '@borda/api-contract';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure } from '../../../components/ChartFigure';
import { formatDuration, formatNumber, formatPercent } from '../../../components/format';
import { CHART, CHART_MARGIN } from './theme';

/** Held-out accuracy (left axis) and log-loss / ECE (right axis) of each reward-model version, by labels. */
export function ModelVersionsChart({ versions }: { versions: readonly ModelVersionSummary[] }) {
  // The API lists newest first; a curve over labels reads oldest first.
  const rows = [...versions].reverse().map((v) => ({
    version: v.version,
    kind: v.kind,
    labelCount: v.labelCount,
    accuracy: v.metrics.heldOutAccuracy,
    logLoss: v.metrics.logLoss,
    ece: v.metrics.ece,
    brier: v.metrics.brier,
    trainSize: v.metrics.trainSize,
    testSize: v.metrics.testSize,
    heldOutOn: v.metrics.heldOutSource === 'yardstick' ? 'uniform draws' : 'all labels (biased)',
    fitMs: v.metrics.fitMs,
    gap: v.gap,
  }));
  type Row = (typeof rows)[number];
  return (
    <ChartFigure<Row>
      title="Reward-model versions"
      description="Held-out accuracy (left axis, higher is better) and log-loss and expected calibration error (right axis, lower is better) of each fitted version."
      rows={rows}
      emptyText="No reward model fitted yet."
      columns={[
        { header: 'Version', value: (r) => r.version },
        { header: 'Model', value: (r) => r.kind },
        { header: 'Labels', value: (r) => r.labelCount },
        { header: 'Train / test', value: (r) => `${r.trainSize} / ${r.testSize}` },
        { header: 'Held out from', value: (r) => r.heldOutOn },
        { header: 'Held-out accuracy', value: (r) => formatPercent(r.accuracy) },
        { header: 'Log-loss', value: (r) => formatNumber(r.logLoss) },
        { header: 'ECE', value: (r) => formatNumber(r.ece) },
        { header: 'Brier', value: (r) => formatNumber(r.brier) },
        { header: 'Gap', value: (r) => formatNumber(r.gap) },
        { header: 'Fit time', value: (r) => formatDuration(r.fitMs) },
      ]}
    >
      <LineChart data={rows} margin={CHART_MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={CHART.grid} />
        <XAxis dataKey="labelCount" type="number" domain={['dataMin', 'dataMax']} />
        <YAxis yAxisId="accuracy" domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
        <YAxis yAxisId="loss" orientation="right" domain={[0, 'auto']} />
        <Tooltip />
        <Legend />
        <Line
          yAxisId="accuracy"
          dataKey="accuracy"
          name="Held-out accuracy"
          stroke={CHART.primary}
          strokeWidth={2}
          connectNulls
        />
        <Line
          yAxisId="loss"
          dataKey="logLoss"
          name="Log-loss"
          stroke={CHART.secondary}
          strokeDasharray={CHART.dash}
          connectNulls
        />
        <Line yAxisId="loss" dataKey="ece" name="ECE" stroke={CHART.tertiary} strokeDasharray="2 3" connectNulls />
      </LineChart>
    </ChartFigure>
  );
}
