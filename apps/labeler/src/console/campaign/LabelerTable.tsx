/** Every labeler's numbers in one table: volume, side bias (flagged past |z| > 2), speed and agreement. */
import type { LabelerStats } from '@borda/api-contract';
import { biasVerdict, isSideBiased } from './charts/bias';
import { formatCount, formatDateTime, formatDuration, formatNumber, formatPercent } from '../../components/format';
import { ScrollRegion } from './ScrollRegion';

export function LabelerTable({ labelers }: { labelers: readonly LabelerStats[] }) {
  if (labelers.length === 0) return <p className="muted">No labelers assigned and no labels yet.</p>;
  return (
    <ScrollRegion label="Labeler numbers, scrollable" className="card">
      <table className="labeler-table">
        <caption>Labelers: volume, bias and speed</caption>
        <thead>
          <tr>
            <th scope="col">Labeler</th>
            <th scope="col">Labels</th>
            <th scope="col">Today</th>
            <th scope="col">Skips</th>
            <th scope="col">Ties / both bad</th>
            <th scope="col">Left rate</th>
            <th scope="col">z</th>
            <th scope="col">Side bias</th>
            <th scope="col">Median time</th>
            <th scope="col">90th pct. time</th>
            <th scope="col">Agreement</th>
            <th scope="col">Last label</th>
          </tr>
        </thead>
        <tbody>
          {labelers.map((l) => {
            const biased = isSideBiased(l);
            return (
              <tr key={l.labelerId} className={biased ? 'is-flagged' : undefined}>
                <th scope="row">
                  {l.name}
                  <br />
                  <span className="muted small">{l.email}</span>
                </th>
                <td className="numeric">{formatCount(l.labels)}</td>
                <td className="numeric">{formatCount(l.labelsToday)}</td>
                <td className="numeric">{formatCount(l.skips)}</td>
                <td className="numeric">
                  {formatCount(l.ties)} / {formatCount(l.bothBad)}
                </td>
                <td className="numeric">{formatPercent(l.leftRate)}</td>
                <td className="numeric">{formatNumber(l.leftBiasZ, 2)}</td>
                <td>{biased ? <strong className="flag">⚠ {biasVerdict(l)}</strong> : biasVerdict(l)}</td>
                <td className="numeric">{formatDuration(l.medianTimeMs)}</td>
                <td className="numeric">{formatDuration(l.p90TimeMs)}</td>
                <td className="numeric">{formatPercent(l.agreement)}</td>
                <td>{formatDateTime(l.lastLabelAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
