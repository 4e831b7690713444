import type { PolicyVersionList } from '@borda/api-contract';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure } from '../../../components/ChartFigure';
import { formatNumber, formatPercent } from '../../../components/format';
import { CHART, CHART_MARGIN } from './theme';

/**
 * Policy churn per version: the share of prompts whose greedy pick changed against the version before
 * (bars) and the value per prompt the new model expects from the change (line). Many changes for a
 * small expected gain mean the model is unstable rather than learning.
 */
export function PolicyChurnChart({ versions }: { versions: PolicyVersionList }) {
  const rows = [...versions]
    .reverse()
    .filter((v) => v.summary.churn)
    .map((v) => {
      const churn = v.summary.churn!;
      return {
        version: v.version,
        labelCount: v.labelCount,
        changed: churn.changedPrompts,
        compared: churn.comparedPrompts,
        share: churn.changedShare,
        gain: churn.estimatedGain,
        units: churn.units,
      };
    });
  type Row = (typeof rows)[number];
  return (
    <ChartFigure<Row>
      title="Policy churn"
      description="Share of prompts whose greedy pick changed from the previous policy version (bars, left axis) and the value per prompt the new model expects from those changes (line, right axis)."
      rows={rows}
      emptyText="Churn appears from the second policy version on."
      columns={[
        { header: 'Policy version', value: (r) => r.version },
        { header: 'Labels', value: (r) => r.labelCount },
        { header: 'Changed picks', value: (r) => `${r.changed} of ${r.compared}` },
        { header: 'Changed share', value: (r) => formatPercent(r.share) },
        { header: 'Expected gain per prompt', value: (r) => `${formatNumber(r.gain)} (${r.units})` },
      ]}
    >
      <ComposedChart data={rows} margin={CHART_MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={CHART.grid} />
        <XAxis dataKey="labelCount" type="number" domain={['dataMin', 'dataMax']} />
        <YAxis yAxisId="share" domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
        <YAxis yAxisId="gain" orientation="right" domain={[0, 'auto']} />
        <Tooltip />
        <Legend />
        <Bar yAxisId="share" dataKey="share" name="Changed picks" fill={CHART.primary} />
        <Line
          yAxisId="gain"
          dataKey="gain"
          name="Expected gain"
          stroke={CHART.secondary}
          strokeDasharray={CHART.dash}
        />
      </ComposedChart>
    </ChartFigure>
  );
}
