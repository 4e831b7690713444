/**
 * What the page shows when there is no comparison to judge: loading, nothing available yet (the
 * session keeps looking), the campaign paused, finished or closed, or an error.
 */
import type { LabelerProgress } from '@borda/api-contract';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../api/client';
import { errorCode } from './errorText';
import type { SessionSnapshot } from './labelingSession';
import { WAIT_TEXT } from './workText';

const POLL_NOTE = 'This page checks again every 10 seconds.';

function stateText(
  snapshot: SessionSnapshot,
  progress: LabelerProgress | undefined,
): { title: string; body: string; canRefresh: boolean } {
  switch (snapshot.status) {
    case 'no_comparisons': {
      // The progress counts say why (the same reason the home page gives); /next's own reason first.
      const reason = snapshot.waitReason === 'budget_leased' ? 'budget_leased' : progress?.waitReason;
      const text = reason ? WAIT_TEXT[reason] : null;
      return text
        ? { title: text.title, body: `${text.body} ${POLL_NOTE}`, canRefresh: true }
        : { title: 'No comparisons for you right now', body: POLL_NOTE, canRefresh: true };
    }
    case 'paused':
      return {
        title: 'This campaign is paused',
        body: `You can continue as soon as a researcher resumes it. ${POLL_NOTE}`,
        canRefresh: true,
      };
    case 'done':
      return {
        title: 'All done',
        body:
          snapshot.doneReason === 'completed'
            ? 'The campaign has all the judgments it needs. Thank you!'
            : 'The campaign has all the judgments its budget allows. Thank you!',
        canRefresh: false,
      };
    case 'closed':
      return {
        title: 'This campaign is closed',
        body: `It is ${snapshot.campaignStatus ?? 'not active'} and takes no more judgments.`,
        canRefresh: false,
      };
    case 'error':
      return {
        title: 'Could not get a comparison',
        body: `${errorMessage(snapshot.error)} (${errorCode(snapshot.error)})`,
        canRefresh: true,
      };
    default:
      return { title: 'Finding a comparison for you…', body: '', canRefresh: false };
  }
}

export function SessionState({
  snapshot,
  progress,
  onRefresh,
}: {
  snapshot: SessionSnapshot;
  progress?: LabelerProgress;
  onRefresh(): void;
}) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const { title, body, canRefresh } = stateText(snapshot, progress);
  const settled = snapshot.status !== 'loading';

  // Focus follows the labeler's work: when the last comparison goes, the state that replaced it gets focus.
  useEffect(() => {
    if (settled && snapshot.shown > 0) headingRef.current?.focus();
  }, [settled, snapshot.status, snapshot.shown]);

  return (
    <section
      className={`session-state card session-${snapshot.status}`}
      aria-labelledby="session-state-title"
      aria-busy={!settled}
    >
      <h2 id="session-state-title" ref={headingRef} tabIndex={-1}>
        {title}
      </h2>
      {body && <p>{body}</p>}
      <div className="button-row">
        {canRefresh && (
          <button type="button" className="button" onClick={onRefresh}>
            Check now
          </button>
        )}
        <Link to="/label" className="button">
          Back to your campaigns
        </Link>
      </div>
    </section>
  );
}
