import type { DiffRun } from './wordDiff';

/**
 * A response as plain text with the words the other response lacks marked: struck through in A,
 * underlined in B (so the marks do not rely on colour), and named for screen readers, which
 * mostly do not announce <del> and <ins>.
 */
export function DiffText({ side, runs }: { side: 'A' | 'B'; runs: readonly DiffRun[] }) {
  const Mark = side === 'A' ? 'del' : 'ins';
  return (
    <div className="diff-text">
      {runs.map((run, index) =>
        run.changed ? (
          <Mark key={index} className={`diff-${side.toLowerCase()}`}>
            <span className="visually-hidden">[only in {side}: </span>
            {run.text}
            <span className="visually-hidden">]</span>
          </Mark>
        ) : (
          <span key={index}>{run.text}</span>
        ),
      )}
    </div>
  );
}
