/**
 * The moves the campaign's status allows, and "retrain now". Completing and archiving cannot be
 * undone, so they ask first. Every answer, refusals included, re-reads the campaign.
 */
import type { CampaignView } from '@borda/api-contract';
import { useEffect, useRef, useState } from 'react';
import { ErrorAlert } from '../../components/feedback';
import { formatCount } from '../../components/format';
import { type ActionAnswer, type CampaignAction, useCampaignAction } from './useCampaignAction';

const DONE: Record<CampaignAction, string> = {
  start: 'The campaign is live: labelers can start.',
  pause: 'The campaign is paused: labelers get no new comparisons.',
  resume: 'The campaign is live again.',
  complete: 'The campaign is complete.',
  archive: 'The campaign is archived.',
  retrain: 'A reward-model fit is queued.',
};

const CONFIRM: Partial<Record<CampaignAction, { question: string; yes: string }>> = {
  complete: {
    question: 'Complete the campaign? Labeling stops for good and open comparisons are cancelled.',
    yes: 'Yes, complete the campaign',
  },
  archive: { question: 'Archive the campaign? It becomes read-only.', yes: 'Yes, archive the campaign' },
};

function doneMessage(action: CampaignAction, answer: ActionAnswer | undefined): string {
  if (action === 'retrain' && answer && 'queued' in answer) {
    return `A reward-model fit on ${formatCount(answer.labelCount)} labels is queued; see Jobs below.`;
  }
  return DONE[action];
}

export function CampaignControls({ campaign }: { campaign: CampaignView }) {
  const action = useCampaignAction(campaign.id);
  const [confirming, setConfirming] = useState<CampaignAction | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const run = (move: CampaignAction) => {
    setConfirming(null);
    action.mutate(move);
  };
  const ask = (move: CampaignAction) => (CONFIRM[move] ? setConfirming(move) : run(move));
  const busy = action.isPending;
  const { status } = campaign;
  const noPrompts = campaign.promptCount === 0;
  const noLabels = campaign.labelCount === 0;

  const button = (move: CampaignAction, label: string, options: { primary?: boolean; disabled?: boolean } = {}) => (
    <button
      type="button"
      className={`button${options.primary ? ' button-primary' : ''}${CONFIRM[move] ? ' button-danger' : ''}`}
      disabled={busy || options.disabled}
      onClick={() => ask(move)}
    >
      {busy && action.variables === move ? `${label}…` : label}
    </button>
  );

  return (
    <section className="campaign-controls" aria-label="Campaign controls">
      <div className="button-row">
        {status === 'draft' && button('start', 'Start campaign', { primary: true, disabled: noPrompts })}
        {status === 'active' && button('pause', 'Pause campaign')}
        {status === 'paused' && button('resume', 'Resume campaign', { primary: true })}
        {(status === 'active' || status === 'paused') && button('complete', 'Complete campaign…')}
        {status === 'completed' && button('archive', 'Archive campaign…')}
        {status !== 'draft' && status !== 'archived' && button('retrain', 'Retrain now', { disabled: noLabels })}
      </div>
      {status === 'paused' && campaign.haltedReason && (
        <div className="alert alert-error" role="alert">
          <p>
            <strong>Borda paused this campaign: its data cannot be learned from.</strong>
          </p>
          <p>{campaign.haltedReason}</p>
          <p>Fix or remove the data it names, then resume: the next learning job checks it again.</p>
        </div>
      )}
      {status === 'draft' && noPrompts && (
        <p className="field-hint">Import prompts below before starting: a campaign needs prompts to compare.</p>
      )}
      {status !== 'draft' && status !== 'archived' && noLabels && (
        <p className="field-hint">Retraining needs at least one judgment.</p>
      )}
      {status === 'archived' && <p className="muted">An archived campaign is read-only; its exports stay available.</p>}
      {confirming && CONFIRM[confirming] && (
        <div
          ref={confirmRef}
          className="confirm-box alert alert-warning"
          role="group"
          aria-labelledby="confirm-question"
          tabIndex={-1}
        >
          <p id="confirm-question">{CONFIRM[confirming].question}</p>
          <div className="button-row">
            <button type="button" className="button button-danger" onClick={() => run(confirming)}>
              {CONFIRM[confirming].yes}
            </button>
            <button type="button" className="button" onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {action.isSuccess && action.variables && (
        <p role="status" className="alert alert-success">
          {doneMessage(action.variables, action.data)}
        </p>
      )}
      <ErrorAlert
        error={action.error}
        title={action.variables ? `Could not ${action.variables} the campaign` : undefined}
      />
    </section>
  );
}
