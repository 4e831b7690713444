import type { LabelerProgress } from '@borda/api-contract';
import { ProgressBar } from '../components/feedback';

/** The labeler's own counts for the campaign, refreshed after each saved label. */
export function ProgressPanel({ progress }: { progress: LabelerProgress | undefined }) {
  if (!progress) return null;
  const { budget } = progress;
  return (
    <section className="progress-panel" aria-label="Your progress">
      <ul className="progress-stats">
        <li>
          Done today: <strong>{progress.doneToday}</strong>
        </li>
        <li>
          Done in total: <strong>{progress.doneTotal}</strong>
          {progress.skippedTotal > 0 && <span className="muted"> ({progress.skippedTotal} skipped)</span>}
        </li>
        <li>
          Remaining: <strong>{progress.remaining}</strong>
        </li>
        <li>
          Budget used: <strong>{budget.used}</strong> of {budget.total}
        </li>
      </ul>
      <ProgressBar value={budget.total > 0 ? budget.used / budget.total : 0} label="Campaign budget used" />
    </section>
  );
}
