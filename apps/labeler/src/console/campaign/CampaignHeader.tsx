/** The dashboard's header: name, status, configuration in one line, budget used and the main counts. */
import type { CampaignView } from '@borda/api-contract';
import { Link } from 'react-router';
import { ProgressBar, StatusBadge } from '../../components/feedback';
import { formatCount, formatDateTime, formatPercent } from '../../components/format';

export function CampaignHeader({ campaign }: { campaign: CampaignView }) {
  const counts = campaign.counts;
  const used = campaign.budget > 0 ? campaign.labelCount / campaign.budget : 0;
  return (
    <header className="campaign-header">
      <p>
        <Link to="/console">← Campaigns</Link>
      </p>
      <div className="campaign-title">
        <h1>{campaign.name}</h1>
        <StatusBadge status={campaign.status} />
      </div>
      <p className="campaign-config">
        Strategy <strong>{campaign.strategy}</strong> · model <strong>{campaign.model}</strong> · {campaign.redundancy}{' '}
        {campaign.redundancy === 1 ? 'label' : 'labels'} per comparison · retrain every{' '}
        {formatCount(campaign.retrainEvery)} labels · features {campaign.featureSource}
      </p>
      {campaign.description && <p className="muted">{campaign.description}</p>}
      <div className="budget-line">
        <span id="budget-used-text">
          {formatCount(campaign.labelCount)} / {formatCount(campaign.budget)} labels ({formatPercent(used)} of the
          budget)
        </span>
        <ProgressBar value={used} label="Budget used" />
      </div>
      <dl className="stat-list">
        <div>
          <dt>Prompts</dt>
          <dd>{formatCount(campaign.promptCount)}</dd>
        </div>
        <div>
          <dt>Responses</dt>
          <dd>{formatCount(campaign.responseCount)}</dd>
        </div>
        {counts && (
          <>
            <div>
              <dt>Open comparisons</dt>
              <dd>{formatCount(counts.comparisons.open)}</dd>
            </div>
            <div>
              <dt>Complete comparisons</dt>
              <dd>{formatCount(counts.comparisons.complete)}</dd>
            </div>
            <div>
              <dt>Skips</dt>
              <dd>{formatCount(counts.skips)}</dd>
            </div>
          </>
        )}
        <div>
          <dt>Created</dt>
          <dd>{formatDateTime(campaign.createdAt)}</dd>
        </div>
        {campaign.startedAt && (
          <div>
            <dt>Started</dt>
            <dd>{formatDateTime(campaign.startedAt)}</dd>
          </div>
        )}
        {campaign.completedAt && (
          <div>
            <dt>Completed</dt>
            <dd>{formatDateTime(campaign.completedAt)}</dd>
          </div>
        )}
      </dl>
      {campaign.status !== 'draft' && (
        <p>
          <Link to={`/console/campaigns/${campaign.id}/policy`}>Policy view: what the reward model would answer</Link>
          {' · '}
          <Link to={`/console/campaigns/${campaign.id}/crowd`}>Crowd quality: labelers, gold and review</Link>
          {' · '}
          <Link to={`/console/campaigns/${campaign.id}/models`}>Models: leaderboard and head to head</Link>
          {' · '}
          <Link to={`/console/campaigns/${campaign.id}/flags`}>Flagged content</Link>
          {' · '}
          <Link to={`/console/campaigns/${campaign.id}/data`}>Data: comparisons and labels</Link>
        </p>
      )}
    </header>
  );
}
