/**
 * The dashboard's aspects (issue 14 item 2): how labelers answered each extra question. Pairwise
 * aspects as shares of A, B and tie (sides as labelers saw them); ratings as the mean of each side.
 * Shown only for campaigns that ask aspects.
 */
import type { AspectSummary } from '@borda/api-contract';
import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { useApi } from '../../auth/session';
import { ChartFigure } from '../../components/ChartFigure';
import { ErrorAlert, Loading } from '../../components/feedback';
import { CHART, CHART_MARGIN } from './charts/theme';
import { DashboardSection } from './DashboardSections';
import { campaignKeys, STATS_REFRESH_MS } from './queries';

const share = (n: number, of: number) => (of > 0 ? Math.round((1000 * n) / of) / 10 : 0);
const mean = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

export function AspectsSection({ campaignId, live }: { campaignId: string; live: boolean }) {
  const api = useApi();
  const summary = useQuery({
    queryKey: campaignKeys.part(campaignId, 'aspects'),
    queryFn: () => api.get<AspectSummary>(`/campaigns/${campaignId}/aspects`),
    refetchInterval: live ? STATS_REFRESH_MS : false,
  });
  const rows = summary.data?.aspects ?? [];
  const pairwise = rows
    .filter((r) => r.pairwise)
    .map((r) => ({
      ...r,
      shareA: share(r.pairwise!.A, r.answered),
      shareB: share(r.pairwise!.B, r.answered),
      shareTie: share(r.pairwise!.tie, r.answered),
    }));
  const ratings = rows
    .filter((r) => r.rating)
    .map((r) => ({ ...r, meanA: mean(r.rating!.meanA), meanB: mean(r.rating!.meanB) }));
  return (
    <DashboardSection id="section-aspects" title="Aspects">
      {summary.isPending && <Loading label="Loading the aspects…" />}
      <ErrorAlert error={summary.error} title="The aspects could not be loaded" />
      {summary.data && (
        <div className="grid-2">
          {pairwise.length > 0 && (
            <ChartFigure<(typeof pairwise)[number]>
              title="Pairwise aspects"
              description="Share of A better, B better and tie per aspect (A: the response shown on the left)."
              rows={pairwise}
              emptyText="No pairwise aspect."
              columns={[
                { header: 'Aspect', value: (r) => r.label },
                { header: 'Answered', value: (r) => r.answered },
                { header: 'A better', value: (r) => r.pairwise!.A },
                { header: 'B better', value: (r) => r.pairwise!.B },
                { header: 'Tie', value: (r) => r.pairwise!.tie },
              ]}
            >
              <BarChart data={pairwise} margin={CHART_MARGIN} accessibilityLayer={false}>
                <CartesianGrid stroke={CHART.grid} vertical={false} />
                <XAxis dataKey="label" interval={0} />
                <YAxis unit="%" domain={[0, 100]} />
                <Tooltip />
                <Legend />
                <Bar dataKey="shareA" name="A better" stackId="share" fill={CHART.primary} />
                <Bar dataKey="shareB" name="B better" stackId="share" fill={CHART.secondary} />
                <Bar dataKey="shareTie" name="Tie" stackId="share" fill={CHART.tertiary} />
              </BarChart>
            </ChartFigure>
          )}
          {ratings.length > 0 && (
            <ChartFigure<(typeof ratings)[number]>
              title="Rated aspects"
              description="Mean rating of each side per aspect, over the labels that rated both."
              rows={ratings}
              emptyText="No rated aspect."
              columns={[
                { header: 'Aspect', value: (r) => r.label },
                { header: 'Ratings', value: (r) => r.answered },
                { header: 'Mean A', value: (r) => r.meanA },
                { header: 'Mean B', value: (r) => r.meanB },
              ]}
            >
              <BarChart data={ratings} margin={CHART_MARGIN} accessibilityLayer={false}>
                <CartesianGrid stroke={CHART.grid} vertical={false} />
                <XAxis dataKey="label" interval={0} />
                <YAxis domain={[0, 7]} allowDecimals={false} />
                <Tooltip />
                <Legend />
                <Bar dataKey="meanA" name="Mean A" fill={CHART.primary} />
                <Bar dataKey="meanB" name="Mean B" fill={CHART.secondary} />
              </BarChart>
            </ChartFigure>
          )}
          {rows
            .filter((r) => r.kind === 'text')
            .map((r) => (
              <p key={r.key}>
                {r.label}: {r.answered} written {r.answered === 1 ? 'answer' : 'answers'} (in the raw export).
              </p>
            ))}
        </div>
      )}
    </DashboardSection>
  );
}
