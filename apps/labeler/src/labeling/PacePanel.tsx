/**
 * The labeler's pace this session (judgments, median time, streak) and the break reminder after a
 * stretch of continuous labeling, whose length they choose (or turn off).
 */
import { useId } from 'react';
import { BREAK_CHOICES, type PaceSummary } from './pace';

export interface PacePanelProps {
  readonly summary: PaceSummary;
  readonly breakMinutes: number;
  readonly breakDue: boolean;
  onBreakMinutes(minutes: number): void;
  onDismissBreak(): void;
}

export function PacePanel({ summary, breakMinutes, breakDue, onBreakMinutes, onDismissBreak }: PacePanelProps) {
  const id = useId();
  return (
    <div className="pace">
      <ul className="progress-stats" aria-label="This session">
        <li>
          This session: <strong>{summary.judgments}</strong> {summary.judgments === 1 ? 'judgment' : 'judgments'}
        </li>
        <li>
          Median time: <strong>{summary.medianSeconds === null ? '–' : `${summary.medianSeconds} s`}</strong>
        </li>
        <li>
          Streak: <strong>{summary.streak}</strong>
        </li>
        <li className="pace-break-choice">
          <label htmlFor={`${id}-break`}>Break reminder</label>
          <select
            id={`${id}-break`}
            value={breakMinutes}
            onChange={(event) => onBreakMinutes(Number(event.target.value))}
          >
            {BREAK_CHOICES.map((minutes) => (
              <option key={minutes} value={minutes}>
                {minutes === 0 ? 'Off' : `After ${minutes} min`}
              </option>
            ))}
          </select>
        </li>
      </ul>
      {breakDue && (
        <div role="status" className="alert alert-warning notice break-reminder">
          <p>
            You have been labeling for {summary.stretchMinutes} minutes without a break. A few minutes away keeps
            judgments sharp.
          </p>
          <button type="button" className="button button-quiet" onClick={onDismissBreak}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
