/**
 * /label/:campaignId, the comparison screen: progress, guidelines, the comparison (or what to show
 * when there is none), the lease warning and the outbox. The logic lives in useLabelingSession
 * (leases, prefetch, renewal) and the submission queue (sending, retrying, the outbox).
 */
import type { CampaignView, LabelerCampaignView } from '@borda/api-contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApi } from '../auth/session';
import { ErrorAlert } from '../components/feedback';
import { ComparisonScreen } from './ComparisonScreen';
import { GuidelinesAck } from './GuidelinesAck';
import { GuidelinesPanel } from './GuidelinesPanel';
import { KeyHint } from './KeyHint';
import type { SessionSnapshot } from './labelingSession';
import { LeaseWarning } from './LeaseWarning';
import { OutboxAlert } from './OutboxAlert';
import { ProgressPanel } from './ProgressPanel';
import { RankingScreen } from './RankingScreen';
import { progressKey, useLabelerProgress } from './progressQuery';
import { SessionState } from './SessionState';
import { ShortcutHelp } from './ShortcutHelp';
import { UndoDialog } from './UndoDialog';
import { SessionPace, usePace } from './usePace';
import { useLastJudgment } from './useLastJudgment';
import { useLabelingSession } from './useLabelingSession';
import { useShortcuts } from './useShortcuts';
import { useSubmissionQueue } from './useSubmissionQueue';
import './labeling.css';

export function LabelPage() {
  const { campaignId = '' } = useParams();
  // A new campaign is a new session (leases, drafts and timers all start over).
  return <LabelSession key={campaignId} campaignId={campaignId} />;
}

export { progressKey };

function announcement(snapshot: SessionSnapshot): string {
  switch (snapshot.status) {
    case 'labeling':
      return `${snapshot.current?.ranking ? 'Ranking task' : 'Comparison'} ${snapshot.shown} is ready.`;
    case 'no_comparisons':
      return 'No comparisons available right now.';
    case 'guidelines':
      return 'The guidelines have changed: read and confirm them to go on.';
    case 'paused':
      return 'The campaign is paused.';
    case 'done':
      return 'All done: the campaign needs no more judgments.';
    case 'closed':
      return 'The campaign is closed.';
    default:
      return '';
  }
}

function LabelSession({ campaignId }: { campaignId: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { queue, snapshot: outbox } = useSubmissionQueue();
  const { session, snapshot } = useLabelingSession(campaignId, queue);
  // Until the labeler opens or closes them, guidelines are open on a first visit (nothing labeled yet).
  const [guidelinesChoice, setGuidelinesChoice] = useState<boolean | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [undoOpen, setUndoOpen] = useState(false);
  const undo = useLastJudgment(queue, campaignId);
  const pace = usePace(campaignId);
  // Re-rendered each second while an undo is possible, so the action disappears when its window closes.
  const [now, setNow] = useState(() => Date.now());
  const undoable = undo.last !== null && undo.last.undoUntil > now;
  useEffect(() => {
    if (!undo.last || undo.last.undoUntil <= Date.now()) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [undo.last]);
  const path = `/campaigns/${encodeURIComponent(campaignId)}`;

  const campaign = useQuery({
    queryKey: ['campaign', campaignId],
    queryFn: () => api.get<CampaignView | LabelerCampaignView>(path),
  });
  const waiting = snapshot.status === 'no_comparisons';
  // While there is nothing to judge, the counts and their reason follow the session's own checks.
  const progress = useLabelerProgress(campaignId, { refetchInterval: waiting ? 10_000 : false });
  useEffect(() => {
    if (waiting) void queryClient.invalidateQueries({ queryKey: progressKey(campaignId) });
  }, [waiting, queryClient, campaignId]);

  useEffect(
    () =>
      queue.onSettled((settlement) => {
        if (settlement.entry.campaignId === campaignId) {
          void queryClient.invalidateQueries({ queryKey: progressKey(campaignId) });
        }
      }),
    [queue, queryClient, campaignId],
  );

  const guidelinesOpen = guidelinesChoice ?? progress.data?.doneTotal === 0;
  const toggleGuidelines = () => setGuidelinesChoice(!guidelinesOpen);

  const name = campaign.data?.name;
  useEffect(() => {
    if (!name) return;
    const previous = document.title;
    document.title = `${name} · Borda`;
    return () => {
      document.title = previous;
    };
  }, [name]);

  useShortcuts({
    toggleGuidelines,
    toggleHelp: () => setHelpOpen((open) => !open),
    escape: () => setHelpOpen(false),
    stillHere: () => void session.stillHere(),
    undo: () => {
      if (undo.last && undo.last.undoUntil > Date.now()) setUndoOpen(true);
    },
  });

  const current = snapshot.current;
  return (
    <div className="label-page">
      <div className="label-header">
        <h1>{name ?? 'Labeling'}</h1>
        <Link to="/label">All campaigns</Link>
        <div className="label-header-actions">
          <button
            type="button"
            className="button"
            aria-expanded={guidelinesOpen}
            aria-controls="guidelines-panel"
            aria-keyshortcuts="G"
            onClick={toggleGuidelines}
          >
            Guidelines <KeyHint action="toggleGuidelines" />
          </button>
          <button
            type="button"
            className="button"
            aria-expanded={helpOpen}
            aria-keyshortcuts="Shift+?"
            onClick={() => setHelpOpen((open) => !open)}
          >
            Shortcuts <KeyHint action="toggleHelp" />
          </button>
        </div>
      </div>
      <ErrorAlert error={campaign.error} title="Campaign" />
      <ProgressPanel progress={progress.data}>
        <SessionPace pace={pace} />
      </ProgressPanel>
      <OutboxAlert
        snapshot={outbox}
        onRetry={() => queue.retryNow()}
        onDismiss={(key) => queue.dismissRejection(key)}
      />
      {snapshot.notice && (
        <div role="alert" className="alert alert-warning notice">
          <p>{snapshot.notice}</p>
          <button type="button" className="button button-quiet" onClick={() => session.dismissNotice()}>
            Dismiss
          </button>
        </div>
      )}
      {undo.goldMessage && (
        <div role="status" className="alert alert-warning notice">
          <p>{undo.goldMessage}</p>
          <button type="button" className="button button-quiet" onClick={undo.dismissGold}>
            Dismiss
          </button>
        </div>
      )}
      {undoable && (
        <p className="undo-row">
          <button type="button" className="button" aria-keyshortcuts="U" onClick={() => setUndoOpen(true)}>
            Undo last <KeyHint action="undo" />
          </button>
        </p>
      )}
      {undoOpen && undo.last && (
        <UndoDialog last={undo.last} onChanged={undo.changed} onClose={() => setUndoOpen(false)} />
      )}
      {current && snapshot.campaignStatus === 'paused' && (
        <p role="status" className="alert alert-warning">
          This campaign was paused. You can finish the comparison on screen; new ones come when it resumes.
        </p>
      )}
      <GuidelinesPanel guidelines={campaign.data?.guidelines} open={guidelinesOpen} />
      {helpOpen && <ShortcutHelp onClose={() => setHelpOpen(false)} />}
      {current && <LeaseWarning lease={current} onStillHere={() => void session.stillHere()} />}
      {current?.ranking ? (
        <RankingScreen
          key={current.id}
          lease={current}
          onRank={(order) => {
            session.rank(order);
            pace.record('judgment', current.shownAt);
          }}
        />
      ) : current ? (
        <ComparisonScreen
          key={current.id}
          lease={current}
          aspects={campaign.data?.aspects}
          onSubmit={(judgment) => {
            undo.remember(current);
            session.submit(judgment);
            pace.record('judgment', current.shownAt);
          }}
          onSkip={(reason) => {
            session.skip(reason);
            pace.record('skip', current.shownAt);
          }}
          onFlag={(note) => {
            session.flag(note);
            pace.record('skip', current.shownAt);
          }}
        />
      ) : snapshot.status === 'guidelines' ? (
        <GuidelinesAck campaignId={campaignId} onAcknowledged={() => session.refresh()} />
      ) : (
        <SessionState
          snapshot={snapshot}
          progress={progress.data}
          onRefresh={() => {
            session.refresh();
            void progress.refetch();
          }}
        />
      )}
      <p role="status" aria-live="polite" className="visually-hidden">
        {announcement(snapshot)}
      </p>
    </div>
  );
}
