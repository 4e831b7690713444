/** One row per prompt of the newest policy: its greedy pick, how sure the model is, and where to look next. */
import type { PolicyEntryView, PolicyPicks } from '@borda/api-contract';
import { Link } from 'react-router';
import { ConfidenceValue } from './confidence';
import { formatNumber } from '../../components/format';

/** The other policies whose pick is the greedy pick. */
function agreeingPolicies(picks: PolicyPicks): string[] {
  const others: [string, string | null][] = [
    ['pessimistic', picks.pessimistic],
    ['soft', picks.soft],
    ['dpo', picks.dpo],
  ];
  return others.filter(([, pick]) => pick !== null && pick === picks.greedy).map(([name]) => name);
}

function Agreement({ picks }: { picks: PolicyPicks }) {
  const agreeing = agreeingPolicies(picks);
  const total = picks.dpo === null ? 2 : 3;
  if (agreeing.length === total) return <span>all agree</span>;
  if (agreeing.length === 0) return <span className="policy-disagree">none agree</span>;
  return <span>{agreeing.join(', ')}</span>;
}

export function PolicyTable({ campaignId, entries }: { campaignId: string; entries: readonly PolicyEntryView[] }) {
  return (
    <div className="table-scroll">
      <table className="policy-table" aria-label="Prompts of the policy">
        <thead>
          <tr>
            <th scope="col">Prompt</th>
            <th scope="col">Greedy pick (mean ± std)</th>
            <th scope="col">Same pick as greedy</th>
            <th scope="col">Confidence (LCB margin)</th>
            <th scope="col">Gap</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.promptId} className={entry.confidence > 0 ? 'policy-row-confident' : undefined}>
              <td className="policy-prompt-cell">
                <Link to={`/console/campaigns/${campaignId}/policy/${entry.promptId}`}>
                  {entry.snippet || <em>(empty prompt)</em>}
                </Link>
                <div className="muted policy-external-id">{entry.externalId}</div>
              </td>
              <td>
                {formatNumber(entry.mean)} ± {formatNumber(entry.std)}
              </td>
              <td>
                <Agreement picks={entry.picks} />
              </td>
              <td>
                <ConfidenceValue confidence={entry.confidence} />
              </td>
              <td>{formatNumber(entry.gap)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
