import type { ModelVersionSummary } from '@borda/api-contract';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure } from '../../../components/ChartFigure';
import { formatDuration, formatNumber, formatPercent } from '../../../components/format';
import { CHART, CHART_MARGIN } from './theme';

/**
 * What a fit learned, in a few words: bt-laplace's chosen feature map (and how it was chosen), the
 * lengthscale(s), the GP's variances and the log evidence; '—' for a model that learns nothing.
 */
export function learnedSummary(hp: Record<string, unknown> | null | undefined): string {
  if (!hp) return '—';
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? formatNumber(v) : null);
  const parts: string[] = [];
  if (typeof hp.featureMap === 'string') {
    const choice = hp.choice as { method?: string } | undefined;
    parts.push(`${hp.featureMap}${choice?.method === 'evidence' ? ' (by evidence)' : ''}`);
  }
  const lengthscales = Array.isArray(hp.lengthscales) ? (hp.lengthscales as number[]) : null;
  if (lengthscales && lengthscales.length > 1 && hp.ard) parts.push(`ℓ = ${lengthscales.map(formatNumber).join(', ')}`);
  else if (num(hp.lengthscale)) parts.push(`ℓ = ${num(hp.lengthscale)}`);
  if (num(hp.signalVariance)) parts.push(`σ² = ${num(hp.signalVariance)}`);
  if (num(hp.noiseVariance)) parts.push(`σₙ² = ${num(hp.noiseVariance)}`);
  const evidence = num(hp.logEvidence) ?? num(hp.logMarginalLikelihood);
  if (evidence) parts.push(`log evidence ${evidence}`);
  return parts.length > 0 ? parts.join('; ') : '—';
}

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
    learned: learnedSummary(v.metrics.hyperparameters),
    fitMs: v.metrics.fitMs,
    gap: v.gap,
  }));
  type Row = (typeof rows)[number];
  // Metrics need held-out labels: until a fit had some, the chart would be an empty frame.
  const measured = rows.some((r) => r.accuracy !== null || r.logLoss !== null || r.ece !== null);
  const mostHeldOut = Math.max(0, ...rows.map((r) => r.testSize));
  return (
    <ChartFigure<Row>
      title="Reward-model versions"
      description="Held-out accuracy (left axis, higher is better) and log-loss and expected calibration error (right axis, lower is better) of each fitted version."
      rows={rows}
      emptyText="No reward model fitted yet."
      nothingToDraw={
        measured
          ? undefined
          : `Not enough held-out data yet: accuracy, log-loss and calibration are measured on labels held out of each fit, and the fits so far held out ${mostHeldOut}. They appear here once a fit holds out enough.`
      }
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
        { header: 'Learned', value: (r) => r.learned },
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
