/**
 * /label: the campaigns the signed-in user can label. Labelers get their assigned campaigns with
 * their own progress; researchers and admins get the campaigns they may label (their own, or all
 * for an admin). Active ones can be started; paused and completed ones are listed but not startable.
 */
import type { CampaignStatusName, CampaignView, LabelerCampaignView, LabelerProgress } from '@borda/api-contract';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useApi } from '../auth/session';
import { ErrorAlert, Loading, ProgressBar, StatusBadge } from '../components/feedback';
import { OutboxAlert } from '../labeling/OutboxAlert';
import { useLabelerProgress } from '../labeling/progressQuery';
import { useSubmissionQueue } from '../labeling/useSubmissionQueue';
import { comparisons, WAIT_TEXT } from '../labeling/workText';
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

function statusNote(card: CampaignCard, progress: LabelerProgress | undefined): string {
  if (card.status === 'paused') return 'Paused: you can label again when it resumes.';
  if (card.status === 'completed') return 'Completed: it needs no more judgments.';
  if (!progress) return '';
  // Comparisons already leased to this labeler are work too: the comparison page opens on them.
  if (progress.leased > 0) return `${comparisons(progress.leased)} held for you: Start labeling continues with them.`;
  const wait = progress.waitReason && WAIT_TEXT[progress.waitReason];
  return wait ? `Nothing new for you right now. ${wait.title}: ${lowerFirst(wait.body)}` : '';
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

function CampaignItem({ card }: { card: CampaignCard }) {
  const titleId = `campaign-${card.id}-title`;
  // The counts the comparison page shows (the same query): the list's copies are only a first paint.
  const progress = useLabelerProgress(card.id, { enabled: card.status === 'active' || card.status === 'paused' }).data;
  const remaining = progress?.remaining ?? card.remaining;
  const done = progress?.doneTotal ?? card.done;
  const note = statusNote(card, progress);
  const budgetLeft = Math.max(0, card.budget - card.labelCount);
  return (
    <li className="campaign-card card">
      <div className="campaign-card-head">
        <h2 id={titleId}>{card.name}</h2>
        <StatusBadge status={card.status} />
      </div>
      <ul className="campaign-facts">
        {remaining !== null && (
          <li>
            Remaining for you: <strong>{remaining}</strong>
            {progress && progress.leased > 0 && <span className="muted"> (and {progress.leased} held for you)</span>}
          </li>
        )}
        {done !== null && (
          <li>
            Your judgments: <strong>{done}</strong>
            {progress && progress.skippedTotal > 0 && (
              <span className="muted"> (and {progress.skippedTotal} skipped)</span>
            )}
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
