/** The leaderboard chart (ratings with 95 % intervals) and the head-to-head heatmap of the Models page. */
import type { SourceModelLeaderboard, SourceModelStanding } from '@borda/api-contract';
import type { CSSProperties } from 'react';
import { Bar, BarChart, CartesianGrid, ErrorBar, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFigure } from '../../components/ChartFigure';
import { formatCount, formatNumber, formatPercent } from '../../components/format';
import { CHART, CHART_MARGIN } from '../campaign/charts/theme';

/** Whole counts as integers; reliability-weighted ones with a decimal. */
const amount = (v: number) => (Number.isInteger(v) ? formatCount(v) : formatNumber(v, 1));

const interval = (low: number, high: number, digits: number) =>
  `${formatNumber(low, digits)} – ${formatNumber(high, digits)}`;

export function LeaderboardChart({ board }: { board: SourceModelLeaderboard }) {
  const rows = board.models.map((m) => ({
    ...m,
    ratingValue: m.rating.value,
    ratingError: [m.rating.value - m.rating.low, m.rating.high - m.rating.value],
  }));
  return (
    <ChartFigure<SourceModelStanding>
      title="Leaderboard"
      description="Bradley–Terry rating of each source model (log-odds, 0 = the average model; bars with 95 % intervals): σ(a − b) is the fitted chance that a beats b. The table adds the Elo-scale rating and the win rate with its Wilson interval (ties count half)."
      rows={board.models}
      emptyText="No response carries a source model for these prompts."
      columns={[
        { header: 'Rank', value: (r) => r.rank },
        { header: 'Model', value: (r) => r.model },
        { header: 'Rating', value: (r) => formatNumber(r.rating.value, 2) },
        { header: 'Rating 95 %', value: (r) => interval(r.rating.low, r.rating.high, 2) },
        { header: 'Elo', value: (r) => formatNumber(r.elo.value, 0) },
        { header: 'Elo 95 %', value: (r) => interval(r.elo.low, r.elo.high, 0) },
        { header: 'Win rate', value: (r) => formatPercent(r.winRate.rate) },
        { header: 'Win rate 95 %', value: (r) => `${formatPercent(r.winRate.low)} – ${formatPercent(r.winRate.high)}` },
        { header: 'Comparisons', value: (r) => amount(r.comparisons) },
        { header: 'Wins', value: (r) => amount(r.wins) },
        { header: 'Losses', value: (r) => amount(r.losses) },
        { header: 'Ties', value: (r) => amount(r.ties) },
        { header: 'Both bad', value: (r) => r.bothBad },
        { header: 'Responses', value: (r) => r.responses },
      ]}
    >
      <BarChart data={rows} margin={CHART_MARGIN} accessibilityLayer={false}>
        <CartesianGrid stroke={CHART.grid} vertical={false} />
        <XAxis dataKey="model" interval={0} />
        <YAxis tickFormatter={(v: number) => formatNumber(v, 1)} />
        <Tooltip />
        <ReferenceLine y={0} stroke={CHART.reference} strokeDasharray={CHART.dash} />
        <Bar dataKey="ratingValue" name="Rating" fill={CHART.primary}>
          <ErrorBar dataKey="ratingError" width={6} stroke={CHART.muted} />
        </Bar>
      </BarChart>
    </ChartFigure>
  );
}

/** Blue for a row model that mostly wins, orange for one that mostly loses; lightness carries the share. */
function cellStyle(share: number | null): CSSProperties | undefined {
  if (share === null) return undefined;
  const strength = Math.abs(share - 0.5) * 2;
  const hue = share >= 0.5 ? 214 : 30;
  return { backgroundColor: `hsl(${hue} 70% ${96 - 30 * strength}%)` };
}

/** Wins of the row model over the column model as a share (and counts), coloured by that share. */
export function HeadToHead({ board }: { board: SourceModelLeaderboard }) {
  const { models, wins, counts } = board.headToHead;
  if (models.length < 2) return null;
  return (
    <section className="card" aria-labelledby="head-to-head-title">
      <h2 id="head-to-head-title">Head to head</h2>
      <p className="muted">
        Each cell: the share of judgments between the two that the row model won (ties count half), then wins of row
        over column and the judgments between them. Blue: the row model mostly wins; orange: it mostly loses.
      </p>
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable box must be focusable */}
      <div className="table-scroll" role="region" aria-label="Head to head: data" tabIndex={0}>
        <table className="head-to-head">
          <thead>
            <tr>
              <th scope="col">Row beats column</th>
              {models.map((m) => (
                <th key={m} scope="col">
                  {m}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {models.map((row, i) => (
              <tr key={row}>
                <th scope="row">{row}</th>
                {models.map((column, j) => {
                  const n = counts[i][j];
                  const share = i !== j && n > 0 ? wins[i][j] / n : null;
                  return (
                    <td key={column} style={cellStyle(share)}>
                      {i === j
                        ? '—'
                        : n === 0
                          ? 'no judgments'
                          : `${formatPercent(share)} (${amount(wins[i][j])} of ${amount(n)})`}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
