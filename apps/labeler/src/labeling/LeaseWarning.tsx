/**
 * Warns that the comparison on screen is about to be given back (its lease lapses), with a
 * countdown and "I'm still here". The alert text changes only when the situation does; the
 * countdown is a timer, which screen readers do not announce every second.
 */
import { useEffect, useState } from 'react';
import { KeyHint } from './KeyHint';
import { formatCountdown, type LeaseTiming, msLeft, shouldWarn } from './leaseClock';

export function LeaseWarning({ lease, onStillHere }: { lease: LeaseTiming; onStillHere(): void }) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);

  if (!shouldWarn(lease, now)) return null;
  const left = msLeft(lease, now);
  return (
    <div className="alert alert-warning lease-warning">
      <p role="alert" className="lease-warning-text">
        {left > 0
          ? 'Your hold on this comparison is about to run out.'
          : 'Your hold on this comparison has run out; it may be given to someone else.'}{' '}
        Press “I’m still here” to keep it.
      </p>
      <p className="lease-warning-time">
        Time left:{' '}
        <strong role="timer" aria-label="Time left on this comparison">
          {formatCountdown(left)}
        </strong>
      </p>
      <button type="button" className="button" aria-keyshortcuts="H" onClick={onStillHere}>
        I’m still here <KeyHint action="stillHere" />
      </button>
    </div>
  );
}
