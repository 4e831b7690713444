/** The researcher's campaigns: status, budget used and configuration at a glance; newest first. */
import type { CampaignView } from '@borda/api-contract';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert, Loading, ProgressBar, StatusBadge } from '../components/feedback';
import { formatCount, formatDate, formatPercent } from '../components/format';
import { useCampaignList } from './campaign/queries';
import './campaign/console.css';

export function ConsoleHomePage() {
  const campaigns = useCampaignList();
  const [showArchived, setShowArchived] = useState(false);
  const all = [...(campaigns.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const archived = all.filter((c) => c.status === 'archived').length;
  const shown = showArchived ? all : all.filter((c) => c.status !== 'archived');

  return (
    <div className="console-page">
      <div className="page-title-row">
        <h1>Campaigns</h1>
        <Link className="button button-primary" to="/console/campaigns/new">
          New campaign
        </Link>
      </div>
      {campaigns.isPending && <Loading label="Loading campaigns…" />}
      <ErrorAlert error={campaigns.error} title="Campaigns could not be loaded" />
      {campaigns.isSuccess && all.length === 0 && (
        <div className="card empty-state">
          <h2>No campaigns yet</h2>
          <p>
            A campaign collects pairwise preferences on your prompts and responses, choosing the comparisons that teach
            the reward model most. Create one, import a JSONL file, assign labelers and start it.
          </p>
          <Link className="button button-primary" to="/console/campaigns/new">
            Create your first campaign
          </Link>
        </div>
      )}
      {archived > 0 && (
        <label className="check-label">
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
          Show {archived} archived {archived === 1 ? 'campaign' : 'campaigns'}
        </label>
      )}
      {shown.length > 0 && <CampaignTable campaigns={shown} />}
      {all.length > 0 && shown.length === 0 && <p className="muted">Every campaign is archived.</p>}
    </div>
  );
}

function CampaignTable({ campaigns }: { campaigns: readonly CampaignView[] }) {
  return (
    <div className="table-scroll card">
      <table className="campaign-table">
        <caption className="visually-hidden">Your campaigns, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Labels / budget</th>
            <th scope="col">Prompts</th>
            <th scope="col">Strategy</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {campaigns.map((c) => {
            const used = c.budget > 0 ? c.labelCount / c.budget : 0;
            return (
              <tr key={c.id}>
                <th scope="row">
                  <Link to={`/console/campaigns/${c.id}`}>{c.name}</Link>
                </th>
                <td>
                  <StatusBadge status={c.status} />
                </td>
                <td className="budget-cell">
                  <span>
                    {formatCount(c.labelCount)} / {formatCount(c.budget)}{' '}
                    <span className="muted">({formatPercent(used, 0)})</span>
                  </span>
                  <ProgressBar value={used} label={`${c.name}: budget used`} />
                </td>
                <td className="numeric">{formatCount(c.promptCount)}</td>
                <td>
                  <code>{c.strategy}</code>
                </td>
                <td>{formatDate(c.createdAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
