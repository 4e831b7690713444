import type { AgreementStats, LabelerStats } from '@borda/api-contract';
import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure } from '../../../components/ChartFigure';
import { formatCount, formatNumber, formatPercent } from '../../../components/format';
import { CHART, CHART_MARGIN } from './theme';

/**
 * How often labelers agree on comparisons judged more than once: the raw rate, Cohen/Fleiss-style
 * kappa (agreement beyond chance) and each labeler's rate against the others.
 */
export function AgreementPanel({
  agreement,
  labelers,
}: {
  agreement: AgreementStats;
  labelers: readonly LabelerStats[];
}) {
  const rated = labelers.filter((l) => l.agreement !== null);
  return (
    <div className="agreement-panel">
      <section className="card" aria-labelledby="agreement-title">
        <h3 id="agreement-title">Agreement between labelers</h3>
        {agreement.pairs === 0 ? (
          <p className="muted">
            No comparison has been judged by two labelers yet (set labels per comparison to 2 or more to measure
            agreement).
          </p>
        ) : (
          <dl className="stat-list">
            <div>
              <dt>Agreement rate</dt>
              <dd>{formatPercent(agreement.rate)}</dd>
            </div>
            <div>
              <dt>Kappa</dt>
              <dd>{formatNumber(agreement.kappa, 2)}</dd>
            </div>
            <div>
              <dt>Pairs of judgments</dt>
              <dd>
                {formatCount(agreement.agreeingPairs)} agree of {formatCount(agreement.pairs)}
              </dd>
            </div>
            <div>
              <dt>Comparisons judged twice or more</dt>
              <dd>{formatCount(agreement.comparisons)}</dd>
            </div>
          </dl>
        )}
        <p className="field-hint">
          Kappa: 0 is chance agreement, 1 perfect; above 0.6 is usually considered substantial.
        </p>
      </section>
      <ChartFigure<LabelerStats>
        title="Agreement per labeler"
        description="Share of each labeler's judgments that match another labeler's judgment of the same comparison."
        rows={rated}
        emptyText="No repeated comparisons yet."
        columns={[
          { header: 'Labeler', value: (r) => r.name },
          { header: 'Agreement', value: (r) => formatPercent(r.agreement) },
        ]}
      >
        <BarChart data={rated} margin={CHART_MARGIN} accessibilityLayer={false}>
          <CartesianGrid stroke={CHART.grid} vertical={false} />
          <XAxis dataKey="name" interval={0} />
          <YAxis domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
          <Tooltip />
          {agreement.rate !== null && (
            <ReferenceLine y={agreement.rate} stroke={CHART.reference} strokeDasharray={CHART.dash} label="overall" />
          )}
          <Bar dataKey="agreement" name="Agreement" fill={CHART.success} />
        </BarChart>
      </ChartFigure>
    </div>
  );
}
