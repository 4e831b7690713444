import type { LabelerProgress } from '@borda/api-contract';
import type { ReactNode } from 'react';
import { ProgressBar } from '../components/feedback';

/**
 * The labeler's own counts for the campaign (GET /campaigns/:id/progress, the source the home page
 * uses too), refreshed after each saved label: judgments with skips apart, what is left for them
 * apart from what they already hold; below them, the pace of this session (children).
 */
export function ProgressPanel({ progress, children }: { progress: LabelerProgress | undefined; children?: ReactNode }) {
  if (!progress) return null;
  const { budget } = progress;
  return (
    <section className="progress-panel" aria-label="Your progress">
      <ul className="progress-stats">
        <li>
          Done today: <strong>{progress.doneToday}</strong>
        </li>
        <li>
          Your judgments: <strong>{progress.doneTotal}</strong>
          {progress.skippedTotal > 0 && <span className="muted"> (and {progress.skippedTotal} skipped)</span>}
        </li>
        <li>
          Remaining for you: <strong>{progress.remaining}</strong>
          {progress.leased > 0 && <span className="muted"> (and {progress.leased} held for you)</span>}
        </li>
        <li>
          Budget used: <strong>{budget.used}</strong> of {budget.total}
        </li>
      </ul>
      <ProgressBar value={budget.total > 0 ? budget.used / budget.total : 0} label="Campaign budget used" />
      {children}
    </section>
  );
}
