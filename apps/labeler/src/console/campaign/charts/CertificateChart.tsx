import type { CertificateResponse } from '@borda/api-contract';
import { Link } from 'react-router';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure } from '../../../components/ChartFigure';
import { formatCount, formatNumber } from '../../../components/format';
import { CHART, CHART_MARGIN } from './theme';

type Point = CertificateResponse['history'][number];

/**
 * The worst-case-gap certificate against labels: the most the pessimistic policy can lose on any
 * prompt. It should fall as labels arrive; null certificate = no reward model yet.
 */
export function CertificateChart({
  campaignId,
  certificate,
}: {
  campaignId: string;
  certificate: CertificateResponse | null;
}) {
  const current = certificate?.current ?? null;
  return (
    <div className="chart-with-notes">
      <ChartFigure<Point>
        title="Worst-case gap certificate"
        description="The most the pessimistic policy can lose on any prompt (max UCB − max LCB), for each reward-model version by the labels it was fitted on. Lower is better."
        rows={certificate?.history ?? []}
        emptyText="No reward model yet: the certificate appears after the first fit."
        columns={[
          { header: 'Version', value: (r) => r.version },
          { header: 'Labels', value: (r) => r.labelCount },
          { header: 'Worst-case gap', value: (r) => r.gap },
        ]}
      >
        <LineChart data={[...(certificate?.history ?? [])]} margin={CHART_MARGIN} accessibilityLayer={false}>
          <CartesianGrid stroke={CHART.grid} />
          <XAxis dataKey="labelCount" type="number" domain={['dataMin', 'dataMax']} name="Labels" />
          <YAxis domain={[0, 'auto']} />
          <Tooltip />
          <Line type="monotone" dataKey="gap" name="Worst-case gap" stroke={CHART.primary} strokeWidth={2} />
        </LineChart>
      </ChartFigure>
      {current && certificate && (
        <p className="muted chart-note">
          Version {certificate.version}: gap {formatNumber(current.gap)} ({current.units} units, β ={' '}
          {formatNumber(current.beta, 2)}), mean gap {formatNumber(current.meanGap)} over {formatCount(current.prompts)}{' '}
          prompts at {formatCount(current.labelCount)} labels.
          {current.promptId && (
            <>
              {' '}
              <Link to={`/console/campaigns/${campaignId}/policy/${current.promptId}`}>Open the worst prompt</Link>.
            </>
          )}
        </p>
      )}
    </div>
  );
}
