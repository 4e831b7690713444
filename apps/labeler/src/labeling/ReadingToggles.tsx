/**
 * Reading aids above the responses: scroll A and B together (side by side only, so hidden on
 * phones, where one response is shown at a time) and mark the words that differ.
 */
export interface ReadingTogglesProps {
  readonly syncScroll: boolean;
  readonly wordDiff: boolean;
  readonly diffTooLong: boolean;
  onSyncScroll(on: boolean): void;
  onWordDiff(on: boolean): void;
}

export function ReadingToggles({ syncScroll, wordDiff, diffTooLong, onSyncScroll, onWordDiff }: ReadingTogglesProps) {
  return (
    <div className="reading-toggles" role="group" aria-label="Reading aids">
      <button
        type="button"
        className="button button-quiet reading-sync"
        aria-pressed={syncScroll}
        onClick={() => onSyncScroll(!syncScroll)}
      >
        Scroll A and B together
      </button>
      <button
        type="button"
        className="button button-quiet"
        aria-pressed={wordDiff}
        onClick={() => onWordDiff(!wordDiff)}
      >
        Show word differences
      </button>
      {wordDiff && !diffTooLong && (
        <p className="reading-legend muted">
          Words only in A are <del className="diff-a">struck through</del>; words only in B are{' '}
          <ins className="diff-b">underlined</ins>. Formatting is off while differences are shown.
        </p>
      )}
      {wordDiff && diffTooLong && (
        <p className="reading-legend muted" role="status">
          These responses are too long to compare word by word; they are shown as usual.
        </p>
      )}
    </div>
  );
}
