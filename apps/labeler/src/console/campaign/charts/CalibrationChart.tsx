import type { CalibrationBin, ModelVersionDetail } from '@borda/api-contract';
import { CartesianGrid, ComposedChart, Line, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure } from '../../../components/ChartFigure';
import { formatNumber } from '../../../components/format';
import { CHART, CHART_MARGIN } from './theme';

/**
 * Reliability diagram of the newest version: in each bin of predicted P(first preferred), the
 * observed rate. A calibrated model sits on the diagonal.
 */
export function CalibrationChart({ model }: { model: ModelVersionDetail | undefined }) {
  const bins = model?.metrics.calibration.filter((bin) => bin.count > 0) ?? [];
  return (
    <ChartFigure<CalibrationBin>
      title={model ? `Calibration of version ${model.version}` : 'Calibration'}
      description={`Observed rate of "first preferred" against the predicted probability, per bin of held-out judgments; the dashed diagonal is perfect calibration.${model?.metrics.ece != null ? ` ECE ${formatNumber(model.metrics.ece)}.` : ''}`}
      rows={bins}
      emptyText={model ? 'No held-out judgments to calibrate on yet.' : 'No reward model fitted yet.'}
      columns={[
        { header: 'Bin', value: (b) => `${b.lower.toFixed(1)}–${b.upper.toFixed(1)}` },
        { header: 'Judgments', value: (b) => b.count },
        { header: 'Mean predicted', value: (b) => b.meanPredicted },
        { header: 'Observed rate', value: (b) => b.observedRate },
      ]}
    >
      <ComposedChart data={bins} margin={CHART_MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={CHART.grid} />
        <XAxis dataKey="meanPredicted" type="number" domain={[0, 1]} name="Mean predicted" />
        <YAxis dataKey="observedRate" type="number" domain={[0, 1]} name="Observed rate" />
        <Tooltip />
        <ReferenceLine
          segment={[
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ]}
          stroke={CHART.reference}
          strokeDasharray={CHART.dash}
        />
        <Line dataKey="observedRate" name="Observed rate" stroke={CHART.primary} strokeWidth={2} />
      </ComposedChart>
    </ChartFigure>
  );
}
