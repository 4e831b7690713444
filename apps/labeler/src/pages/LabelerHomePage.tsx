/**
 * /label: the campaigns the signed-in user can label. Labelers get their assigned campaigns with
 * their own progress; researchers and admins get the campaigns they may label (their own, or all
 * for an admin). Active ones can be started; paused and completed ones are listed but not startable.
 */
import type { CampaignStatusName, CampaignView, LabelerCampaignView } from '@borda/api-contract';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useApi } from '../auth/session';
import { ErrorAlert, Loading, ProgressBar, StatusBadge } from '../components/feedback';
import { OutboxAlert } from '../labeling/OutboxAlert';
import { useSubmissionQueue } from '../labeling/useSubmissionQueue';
import '../labeling/labeling.css';

interface CampaignCard {
  readonly id: string;
  readonly name: string;
  readonly status: CampaignStatusName;
  readonly labelCount: number;
  readonly budget: number;
  /** Comparisons this user could take now (labelers only: the researchers' view has no such count). */
  readonly remaining: number | null;
  readonly done: number | null;
}

const LISTED: readonly CampaignStatusName[] = ['active', 'paused', 'completed'];
const ORDER: Record<string, number> = { active: 0, paused: 1, completed: 2 };

function isLabelerView(view: CampaignView | LabelerCampaignView): view is LabelerCampaignView {
  return 'progress' in view;
}

export function toCard(view: CampaignView | LabelerCampaignView): CampaignCard {
  if (isLabelerView(view)) {
    const { labelCount, budget, remaining, done } = view.progress;
    return { id: view.id, name: view.name, status: view.status, labelCount, budget, remaining, done };
  }
  const { id, name, status, labelCount, budget } = view;
  return { id, name, status, labelCount, budget, remaining: null, done: null };
}

function statusNote(card: CampaignCard): string {
  if (card.status === 'paused') return 'Paused: you can label again when it resumes.';
  if (card.status === 'completed') return 'Completed: it needs no more judgments.';
  if (card.remaining === 0) return 'Nothing for you right now: new comparisons arrive after the model retrains.';
  return '';
}

function CampaignItem({ card }: { card: CampaignCard }) {
  const titleId = `campaign-${card.id}-title`;
  const note = statusNote(card);
  const budgetLeft = Math.max(0, card.budget - card.labelCount);
  return (
    <li className="campaign-card card">
      <div className="campaign-card-head">
        <h2 id={titleId}>{card.name}</h2>
        <StatusBadge status={card.status} />
      </div>
      <ul className="campaign-facts">
        {card.remaining !== null && (
          <li>
            Remaining for you: <strong>{card.remaining}</strong>
          </li>
        )}
        {card.done !== null && (
          <li>
            Your judgments: <strong>{card.done}</strong>
          </li>
        )}
        <li>
          Judgments: <strong>{card.labelCount}</strong> of {card.budget} ({budgetLeft} to go)
        </li>
      </ul>
      <ProgressBar value={card.budget > 0 ? card.labelCount / card.budget : 0} label={`${card.name}: budget used`} />
      {note && <p className="muted">{note}</p>}
      {card.status === 'active' && (
        <Link to={`/label/${card.id}`} className="button button-primary">
          Start labeling <span className="visually-hidden">{card.name}</span>
        </Link>
      )}
    </li>
  );
}

export function LabelerHomePage() {
  const api = useApi();
  const { queue, snapshot: outbox } = useSubmissionQueue();
  const campaigns = useQuery({
    queryKey: ['campaigns', 'labeling'],
    queryFn: () => api.get<(CampaignView | LabelerCampaignView)[]>('/campaigns'),
  });
  const cards = (campaigns.data ?? [])
    .map(toCard)
    .filter((card) => LISTED.includes(card.status))
    .sort((a, b) => ORDER[a.status] - ORDER[b.status]);

  return (
    <div className="labeler-home">
      <h1>Your labeling campaigns</h1>
      <OutboxAlert
        snapshot={outbox}
        onRetry={() => queue.retryNow()}
        onDismiss={(key) => queue.dismissRejection(key)}
      />
      {campaigns.isPending && <Loading label="Loading your campaigns…" />}
      <ErrorAlert error={campaigns.error} title="Could not load your campaigns" />
      {campaigns.isSuccess && cards.length === 0 && (
        <p className="empty-state">
          You have no campaigns to label yet. When a researcher adds you to an active campaign, it appears here.
        </p>
      )}
      {cards.length > 0 && (
        <ul className="campaign-list">
          {cards.map((card) => (
            <CampaignItem key={card.id} card={card} />
          ))}
        </ul>
      )}
    </div>
  );
}
